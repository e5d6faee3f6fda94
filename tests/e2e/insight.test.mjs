// End-to-end: what the data says, in the real webview at 1366×768 — filter
// the Customers table by an RFM segment and by a lifecycle stage.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, e2eSuite, ROOT, SHOTS } from "./webdriver.mjs";

const suite = e2eSuite("insight");
const data = join(suite.work, "data");

before(() => {
  const r = spawnSync(BIN, ["--data-dir", data, "import", join(ROOT, "tests/fixtures/ledger_gbk.csv")], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});

/** Cells' text (textContent: WebDriver leaves out text clipped with an ellipsis). */
const cells = (app, css) => app.script(`return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent.trim())`, [css]);
const names = (app) => cells(app, '[data-testid="customer-row"] [role="cell"]:first-child');

describe("segments", () => {
  test("the Customers table shows each customer's stage, segment and class, and filters by them", async () => {
    const app = await suite.launch(data);
    try {
      await app.setWindowRect({ width: 1366, height: 768 });
      await app.click('[data-nav="customers"]');
      await app.until("four rows", async () => (await app.findAll('[data-testid="customer-row"]')).length === 4);
      await app.until("segments shown", async () => (await cells(app, '[data-testid="customer-segment"]')).some((t) => /Champions/.test(t)));
      await app.select("filter-segment", "champions");
      await app.until("one champion", async () => {
        const n = await names(app);
        return n.length === 1 && n[0] === "华东钢铁有限公司";
      });
      assert.deepEqual(await cells(app, '[data-testid="customer-class"]'), ["A"]);
      await new Promise((r) => setTimeout(r, 300)); // let the webview paint
      await app.screenshot(SHOTS, "customers-segment-en");
      await app.select("filter-segment", "");
      await app.select("filter-lifecycle", "new");
      await app.until("the new customers", async () => (await names(app)).length === 2);
      assert.match(await app.text('[data-testid="customer-count"]'), /2/);

      // The segment summary chart, exported for a meeting.
      await app.click('[data-testid="segment-summary"] summary');
      await app.find('[data-testid="segment-chart"]');
      await new Promise((r) => setTimeout(r, 300)); // let the webview paint
      await app.screenshot(SHOTS, "customers-segment-summary-en");
      const file = join(suite.work, "segments.png");
      suite.answerDialog(file);
      await app.click('[data-testid="segment-chart-export"]');
      await app.until("the chart saved", async () => /Saved to/.test(await app.text('[data-testid="segment-chart-export-message"]')));
      assert.equal(readFileSync(file).subarray(1, 4).toString("latin1"), "PNG");
    } finally {
      await app.quit();
    }
  });

  test("the whitespace grid shows what key accounts buy by category and marks the gaps", async () => {
    const other = join(suite.work, "ledger2");
    const run = (...args) => {
      const r = spawnSync(BIN, ["--data-dir", other, ...args], { encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    run("import", join(ROOT, "tests/fixtures/ledger_city_state_region.csv"));
    const ids = JSON.parse(run("customers", "--json", "--limit", "4")).map((c) => String(c.id));
    for (const id of ids) {
      run("account", "promote", id);
      run("account", "set-type", id, "economic");
    }
    const gaps = JSON.parse(run("whitespace", "--json"));
    const app = await suite.launch(other);
    try {
      await app.setWindowRect({ width: 1366, height: 768 });
      await app.click('[data-nav="accounts"]');
      await app.click('[data-testid="whitespace-grid"] summary');
      await app.until("the grid", async () => (await app.findAll('[data-testid="whitespace-grid"] tbody tr')).length === 4);
      const marked = await app.script(`return document.querySelectorAll('[data-testid="whitespace-grid"] td.gap').length`);
      assert.equal(marked, gaps.length, "every gap the CLI lists is marked");
      await app.script(`document.querySelector('[data-testid="whitespace-grid"]').scrollIntoView()`);
      await new Promise((r) => setTimeout(r, 300));
      await app.screenshot(SHOTS, "accounts-whitespace-grid-en");
    } finally {
      await app.quit();
    }
  });
});
