// End-to-end: an export of the national e-invoice platform (全量发票查询导出结果)
// imported through the window in 中文, with no mapping: the preview names the
// source, the red-letter invoices that net against their originals, the void
// invoice left out and the buyer that renamed itself; after the import the
// customer is found by its former name.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { e2eSuite, ROOT, SHOTS } from "./webdriver.mjs";

const FIXTURE = join(ROOT, "tests/fixtures/sources/fapiao_sales.xlsx");
const zh = JSON.parse(readFileSync(join(ROOT, "ui/src/locales/zh-CN.json"), "utf8"));

const suite = e2eSuite("sources");
const { work, answerDialog } = suite;

describe("the exports owners really have", () => {
  test("an e-invoice export in 中文: source, red invoices, void invoice, renamed buyer", async () => {
    const app = await suite.launch(join(work, "data"));
    try {
      await app.resize(1366, 768);
      await app.click('[data-lang="zh-CN"]');
      await app.untilText('[data-testid="page-title"]', zh["dashboard.title"]);
      await app.click('[data-nav="import"]');
      answerDialog(FIXTURE);
      await app.click('[data-testid="import-choose"]');
      await app.untilText('[data-testid="import-file"]', "fapiao_sales.xlsx");

      // The source, recognised and named in the window's language.
      assert.equal(await app.script("return document.querySelector('[data-testid=import-source]').dataset.source"), "fapiao");
      const chosen = await app.script("const s = document.querySelector('[data-testid=import-source]'); return s.options[s.selectedIndex].text");
      assert.ok(chosen.startsWith(zh["import.from.fapiao"]), chosen);

      // Each rule it applied, in 中文: the buyer by tax ID, red invoices, the renamed buyer.
      const rules = await app.script(
        "return [...document.querySelectorAll('[data-testid=import-rules] li')].map((li) => [li.dataset.code, li.textContent.trim()])",
      );
      const codes = rules.map(([code]) => code);
      for (const code of ["fapiao_buyer", "fapiao_amount", "red_invoices", "renamed"]) assert.ok(codes.includes(code), `${code} in ${codes}`);
      const red = rules.find(([code]) => code === "red_invoices")[1];
      assert.match(red, /保留 2 行红字发票（-3,600\.00）/);
      assert.match(rules.find(([code]) => code === "renamed")[1], /1 个客户在同一识别号下有不同名称/);

      // The void invoice is left out, with its amount, and can be kept.
      const excluded = await app.text('[data-testid="import-excluded"] [data-reason="voided"]');
      assert.match(excluded, new RegExp(`${zh["import.excluded.voided"]} 1 行`));
      assert.match(excluded, /6,000\.00/);
      assert.equal(await app.text('[data-testid="fig-customers"]'), "4");
      assert.equal(await app.text('[data-testid="fig-revenue"]'), "53,900.00");
      await app.screenshot(SHOTS, "sources-fapiao-preview-zh-1366");

      await app.click('[data-testid="import-commit"]');
      await app.until("the import message", async () => (await app.findAll('[data-testid="import-message"]')).length === 1);

      // The buyer is one customer under its latest name, found by its former one.
      await app.click('[data-nav="customers"]');
      await app.type('[data-testid="customer-search"]', "星河科技");
      await app.until("the search", async () => (await app.findAll('[data-testid="customer-row"]')).length === 1);
      const name = await app.script("return document.querySelector('[data-testid=customer-row] [data-col=name]').textContent.trim()");
      assert.equal(name, "北京星河智能科技有限公司");
      await app.screenshot(SHOTS, "sources-fapiao-customers-zh-1366");
    } finally {
      await app.quit();
    }
  });
});
