// End-to-end: the Dashboard after an import — figures, a period change, a
// chart export to a real PNG through the save path, and 中文 charts.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, e2eSuite, ROOT, SHOTS } from "./webdriver.mjs";

const suite = e2eSuite("dash");
const data = join(suite.work, "data");

before(() => {
  // The data comes in through the CLI; the Dashboard is what is under test.
  const r = spawnSync(BIN, ["--data-dir", data, "import", join(ROOT, "tests/fixtures/ledger_gbk.csv")], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});

describe("the Dashboard", () => {
  test("shows the 80/20 figures, follows the period, and exports a chart as PNG", async () => {
    const app = await suite.launch(data);
    try {
      await app.untilText('[data-testid="fig-customers"]', "4");
      assert.equal(await app.text('[data-testid="fig-top20"]'), "93.8%");
      assert.equal(await app.text('[data-testid="fig-for80"]'), "1");
      assert.equal(await app.text('[data-testid="fig-peak"]'), "106.3%");
      assert.match(await app.text('[data-testid="headline-sentence"]'), /make 93\.8% of profit but 68\.4% of revenue/);
      assert.match(await app.text('[data-testid="risk-sentence"]'), /华东钢铁有限公司, makes 93\.8% of profit/);
      await app.until("the chart", async () => Number(await app.script("return document.querySelector('[data-testid=chart-image]')?.dataset.regions")) === 4);
      await app.screenshot(SHOTS, "dashboard-en");

      // One bar per customer: a click opens the customer, and the hint says so.
      assert.equal(await app.text('[data-testid="chart-hint"]'), "Hover for details; click a customer to open it.");
      const bar = await app.script(`
        const img = document.querySelector('[data-testid=chart-image]');
        const svg = new DOMParser().parseFromString(decodeURIComponent(img.src.slice(img.src.indexOf(',') + 1)), 'image/svg+xml');
        const k = img.clientWidth / Number(svg.documentElement.getAttribute('width'));
        const [x, y, w, h] = [...svg.querySelectorAll('rect[fill="#0F5E63"]')].map((r) => ['x', 'y', 'width', 'height'].map((a) => Number(r.getAttribute(a)))).reduce((a, b) => (b[3] > a[3] ? b : a));
        img.scrollIntoView({ block: 'center' });
        const at = img.getBoundingClientRect();
        return { x: Math.round(at.left + (x + w / 2) * k), y: Math.round(at.top + (y + h / 2) * k) };`);
      await app.cmd("POST", "/actions", {
        actions: [{ type: "pointer", id: "mouse", parameters: { pointerType: "mouse" }, actions: [{ type: "pointerMove", origin: "viewport", x: bar.x, y: bar.y, duration: 0 }, { type: "pointerDown", button: 0 }, { type: "pointerUp", button: 0 }] }],
      });
      await app.untilText('[data-testid="page-title"]', "Customers");
      assert.equal(await app.script("return document.querySelector('[data-testid=customer-search]').value"), "华东钢铁有限公司");
      await app.click('[data-nav="dashboard"]');
      // ABC classes and periods are not customers: the hint does not offer a click.
      for (const kind of ["abc", "trend"]) {
        await app.click(`[data-chart="${kind}"]`);
        await app.untilText('[data-testid="chart-hint"]', "Hover for details.");
      }
      await app.click('[data-chart="pareto"]');

      // Last year has no sales (the fixture is 2024, the clock is later): a custom period does.
      await app.select("filter-period", "custom");
      await app.until("the date inputs", async () => (await app.findAll('[data-testid="filter-from"]')).length === 1);
      // A blank date field looks blank, not like today's date in grey.
      assert.equal(await app.script("return getComputedStyle(document.querySelector('[data-testid=filter-from]')).color"), "rgba(0, 0, 0, 0)");
      await app.screenshot(SHOTS, "dashboard-custom-period-blank");
      await app.script(
        "const f = document.querySelector('[data-testid=filter-from]'); f.value = '2024-02-01'; f.dispatchEvent(new Event('input', { bubbles: true }));" +
          "const t = document.querySelector('[data-testid=filter-to]'); t.value = '2024-04-30'; t.dispatchEvent(new Event('input', { bubbles: true }));",
      );
      await app.untilText('[data-testid="fig-customers"]', "3");
      assert.equal(await app.text('[data-testid="fig-total"]'), "¥17,000.00");

      // Export the chart through the save path the dialog would return.
      const png = join(suite.work, "pareto.png");
      suite.answerDialog(png);
      await app.click('[data-testid="export-chart"]');
      await app.untilText('[data-testid="dashboard-message"] span', `Saved to ${png}`);
      const bytes = readFileSync(png);
      assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG signature");
      assert.equal(bytes.readUInt32BE(16), 1920);
      assert.equal(bytes.readUInt32BE(20), 1080);

      // The ranked table as XLSX.
      const xlsx = join(suite.work, "ranking.xlsx");
      suite.answerDialog(xlsx);
      await app.click('[data-testid="export-table"]');
      await app.untilText('[data-testid="dashboard-message"] span', `Saved to ${xlsx}`);
      assert.equal(readFileSync(xlsx).subarray(0, 2).toString(), "PK");

      // Whale curve in 中文.
      await app.click('[data-lang="zh-CN"]');
      await app.click('[data-chart="whale"]');
      await app.until("the whale curve", async () =>
        decodeURIComponent(await app.script("return document.querySelector('[data-testid=chart-image]').src")).includes("鲸鱼曲线"),
      );
      await app.screenshot(SHOTS, "dashboard-zh-whale");
      await app.click('[data-lang="en"]');
    } finally {
      await app.quit();
    }
  });

  test("draws profit vs revenue and copies a chart to the clipboard, by button and by Ctrl+C", async () => {
    const app = await suite.launch(data);
    /** The clipboard's image, as another program pasting it would get it. */
    const clipboardPng = () => {
      try {
        return execFileSync("xclip", ["-selection", "clipboard", "-t", "image/png", "-o"], { timeout: 5000 });
      } catch {
        return Buffer.alloc(0);
      }
    };
    // xclip stays in the background to serve the text: no pipes for it to hold open.
    const setClipboardText = (text) => execFileSync("xclip", ["-selection", "clipboard", "-i"], { input: text, stdio: ["pipe", "ignore", "ignore"] });
    const isSlidePng = (b) => b.length > 24 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(16) === 1920 && b.readUInt32BE(20) === 1080;
    try {
      await app.untilText('[data-testid="fig-customers"]', "4");
      await app.click('[data-chart="revenue_vs_profit"]');
      await app.until("the profit vs revenue chart", async () => {
        const src = decodeURIComponent(await app.script("return document.querySelector('[data-testid=chart-image]').src"));
        return src.includes("Profit is not revenue") && src.includes("20% of customers → 93.8% of profit") && src.includes("but 68.4% of revenue");
      });
      await app.screenshot(SHOTS, "dashboard-revenue-vs-profit");

      setClipboardText("text before");
      await app.click('[data-testid="copy-chart"]');
      await app.untilText('[data-testid="dashboard-message"] span', "Chart copied: paste it into WPS, PowerPoint or WeChat.");
      await app.until("a 1920×1080 PNG on the clipboard", async () => isSlidePng(clipboardPng()));

      // Ctrl+C with the chart focused (clicked) copies it too.
      setClipboardText("text again");
      await app.click('[data-testid="dashboard-message"] button');
      await app.script("document.querySelector('[data-testid=chart-box]').focus()");
      const ctrl = "\uE009";
      await app.cmd("POST", "/actions", {
        actions: [{ type: "key", id: "kb", actions: [{ type: "keyDown", value: ctrl }, { type: "keyDown", value: "c" }, { type: "keyUp", value: "c" }, { type: "keyUp", value: ctrl }] }],
      });
      await app.untilText('[data-testid="dashboard-message"] span', "Chart copied: paste it into WPS, PowerPoint or WeChat.");
      await app.until("the chart on the clipboard again", async () => isSlidePng(clipboardPng()));
    } finally {
      await app.quit();
    }
  });
});
