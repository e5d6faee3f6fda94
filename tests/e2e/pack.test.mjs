// End-to-end: File ▸ Export meeting pack… in the real window at 1366×768 —
// the dialog (period, key accounts, language), the save dialog, and the
// PDF it writes (pages and text read back with poppler).
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, e2eSuite, ROOT, SHOTS } from "./webdriver.mjs";
import { FILE_MENU, fileMenu } from "./xwindow.mjs";

const en = JSON.parse(readFileSync(join(ROOT, "ui/src/locales/en.json"), "utf8"));
const zh = JSON.parse(readFileSync(join(ROOT, "ui/src/locales/zh-CN.json"), "utf8"));
const suite = e2eSuite("pack");
const data = join(suite.work, "data");
/** The key accounts' ids, most profitable first (read before the window
 * holds the store). */
let ids = [];

const cli = (...args) => {
  const r = spawnSync(BIN, ["--data-dir", data, ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

before(() => {
  const csv = join(suite.work, "ledger.csv");
  let text = "客户编号,客户名称,日期,销售额,利润\n";
  const names = ["华东钢铁有限公司", "北方建材集团", "南方五金商行", "西部机械厂", "东海贸易有限公司"];
  names.forEach((n, i) => {
    text += `C${i + 1},${n},2026-0${i + 1}-15,${(5 - i) * 10000},${(5 - i) * 2000}\n`;
  });
  writeFileSync(csv, text);
  cli("import", csv);
  for (const id of ["C1", "C2", "C3"]) cli("account", "promote", id);
  cli("account", "set-type", "C1", "economic");
  cli("contact", "add", "C1", "--name", "王伟", "--level", "decision", "--function", "finance", "--attitude", "supporter");
  cli("touch", "C1", "--kind", "visit", "--contact", "1", "--summary", "拜访王总", "--date", "2026-11-02");
  ids = JSON.parse(cli("accounts", "--json")).map((a) => a.id);
});


const pdfPages = (file) => Number(/Pages:\s+(\d+)/.exec(spawnSync("pdfinfo", [file], { encoding: "utf8" }).stdout)?.[1]);
const pdfText = (file) => spawnSync("pdftotext", [file, "-"], { encoding: "utf8" }).stdout.replace(/\s+/g, "");

describe("meeting pack", () => {
  test("File ▸ Export meeting pack… writes the chosen accounts' pack in Chinese", async () => {
    const app = await suite.launch(data);
    try {
      await app.setWindowRect({ width: 1366, height: 768 });
      await app.untilText('[data-testid="page-title"]', en["dashboard.title"]);
      await app.until("the data loaded", async () => (await app.text('[data-testid="store-info"] div')).startsWith("5 customers"));
      fileMenu(FILE_MENU.exportPack);
      await app.find('[data-testid="pack-dialog"]');
      await app.until("the whole data range", async () => (await app.script(`return document.querySelector('[data-testid=pack-from]').value`)) === "2026-01-15");
      assert.equal(await app.script(`return document.querySelector('[data-testid=pack-to]').value`), "2026-05-15");
      assert.equal((await app.findAll('[data-testid="pack-account"]')).length, 3, "every key account listed");
      await new Promise((r) => setTimeout(r, 300)); // let the webview paint
      await app.screenshot(SHOTS, "pack-dialog-en");

      // No account ticked: refused in the dialog.
      await app.click('[data-testid="pack-some"]');
      await app.click('[data-testid="pack-export"]');
      await app.untilText('[data-testid="pack-problem"]', en["pack.dialog.none_chosen"]);

      await app.click(`[data-testid="pack-account"][data-id="${ids[0]}"]`);
      await app.click(`[data-testid="pack-account"][data-id="${ids[1]}"]`);
      await app.click('[data-testid="pack-lang"][data-lang="zh-CN"]');
      const file = join(suite.work, "会议资料.pdf");
      suite.answerDialog(file);
      await app.click('[data-testid="pack-export"]');
      await app.until("the saved message", async () => (await app.text('[data-testid="pack-message"]')) === en["dashboard.exported"].replace("{path}", file), 60_000);
      // The progress bar followed every step: 6 charts, then 10 pages.
      assert.equal(await app.text('[data-testid="pack-step"]'), en["pack.dialog.step"].replace("{done}", "16").replace("{total}", "16"));
      await new Promise((r) => setTimeout(r, 300));
      await app.screenshot(SHOTS, "pack-dialog-saved");

      assert.ok(existsSync(file));
      assert.equal(pdfPages(file), 1 + 6 + 1 + 2, "cover, six charts, the table, two account pages");
      const text = pdfText(file);
      for (const needle of ["华东钢铁有限公司", "北方建材集团", "王伟", zh["pack.title"], zh["map.title"]]) {
        assert.ok(text.includes(needle.replace(/\s+/g, "")), `${needle} in the PDF`);
      }

      await app.click('[data-testid="pack-close"]');
      assert.equal((await app.findAll('[data-testid="pack-dialog"]')).length, 0);

      // The period the Dashboard shows is the pack's next time.
      await app.select("filter-period", "custom");
      await app.until("the date inputs", async () => (await app.findAll('[data-testid="filter-from"]')).length === 1);
      await app.script(
        "const f = document.querySelector('[data-testid=filter-from]'); f.value = '2026-02-01'; f.dispatchEvent(new Event('input', { bubbles: true }));" +
          "const t = document.querySelector('[data-testid=filter-to]'); t.value = '2026-04-30'; t.dispatchEvent(new Event('input', { bubbles: true }));",
      );
      fileMenu(FILE_MENU.exportPack);
      await app.find('[data-testid="pack-dialog"]');
      await app.until("the Dashboard's period", async () => (await app.script(`return document.querySelector('[data-testid=pack-from]').value`)) === "2026-02-01");
      assert.equal(await app.script(`return document.querySelector('[data-testid=pack-to]').value`), "2026-04-30");
      await app.click('[data-testid="pack-close"]');
    } finally {
      await app.quit();
    }
  });

  test("with no data the menu item says there is nothing to export yet", async () => {
    const app = await suite.launch(join(suite.work, "empty"));
    try {
      await app.untilText('[data-testid="page-title"]', en["dashboard.title"]);
      await app.find('[data-testid="store-info"]');
      fileMenu(FILE_MENU.exportPack);
      await app.untilText('[data-testid="notice"] span', en["notice.no_pack"]);
      assert.equal((await app.findAll('[data-testid="pack-dialog"]')).length, 0);
    } finally {
      await app.quit();
    }
  });
});
