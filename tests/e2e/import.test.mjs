// End-to-end: importing through the Import page in the real webview. The
// file dialog's answer comes from a queue file (VITALFEW_TEST_DIALOG): the
// app runs the same command a user's click does, only the dialog is skipped.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { e2eSuite, ROOT, SHOTS } from "./webdriver.mjs";

const FIXTURES = join(ROOT, "tests/fixtures");
const en = JSON.parse(readFileSync(join(ROOT, "ui/src/locales/en.json"), "utf8"));

const suite = e2eSuite("import");
const { work, answerDialog } = suite;

/** The cells of the customer table's first visible row, as text by column
 * (`name`, `ext_id`, `revenue`, `profit`, `region`, …). */
const firstCustomer = (app) =>
  app.script(
    "return Object.fromEntries([...(document.querySelector('[data-testid=customer-row]')?.querySelectorAll('[role=cell]') ?? [])].map((c) => [c.dataset.col, c.textContent.trim()]))",
  );

describe("import through the Import page", () => {
  test("GBK CSV and XLSX: preview, change a mapping, commit, see customers, undo back to empty", async () => {
    const app = await suite.launch(join(work, "data"));
    try {
      await app.untilText('[data-testid="page-title"]', en["dashboard.title"]);
      await app.click('[data-nav="import"]');

      // 1. A Chinese Excel CSV (GBK, no BOM).
      answerDialog(join(FIXTURES, "ledger_gbk.csv"));
      await app.click('[data-testid="import-choose"]');
      await app.untilText('[data-testid="import-file"]', "ledger_gbk.csv");
      assert.equal(await app.text('[data-testid="fig-rows"]'), "6");
      assert.equal(await app.text('[data-testid="fig-customers"]'), "4");
      assert.equal(await app.text('[data-testid="fig-lines"]'), "6");
      assert.equal(await app.text('[data-testid="fig-revenue"]'), "395,000.00");
      assert.equal(await app.text('[data-testid="fig-profit"]'), "80,000.00");
      assert.equal(await app.script("return document.querySelector('[data-testid=import-encoding]').value"), "gb18030");
      assert.equal(await app.script("return document.querySelector('[data-testid=map-E]').value"), "region");
      await app.screenshot(SHOTS, "import-preview-gbk");

      // Change one mapping: keep 地区 (column E) as a custom attribute instead of the region.
      await app.script(
        "const s = document.querySelector('[data-testid=map-E]'); s.value = ''; s.dispatchEvent(new Event('change', { bubbles: true }));",
      );
      await app.until("the preview with the new mapping", async () =>
        (await app.script("return document.querySelector('[data-testid=import-mapping]')?.dataset.fields"))?.split(",")[4] === "-",
      );
      await app.untilText('[data-testid="fig-lines"]', "6");
      await app.click('[data-testid="import-commit"]');
      await app.until("the import message", async () =>
        (await app.text('[data-testid="import-message"] span')).startsWith("Imported ledger_gbk.csv: 6 new sales lines, 4 new customers"),
      );

      // The customers table, largest profit first; region left unmapped.
      await app.click('[data-nav="customers"]');
      await app.untilText('[data-testid="customer-count"]', "4 of 4");
      await app.screenshot(SHOTS, "import-customers");
      const first = await firstCustomer(app);
      assert.equal(first.name, "华东钢铁有限公司");
      assert.equal(first.ext_id, "C001");
      assert.equal(first.revenue, "270,000.00");
      assert.equal(first.profit, "75,000.00");
      assert.equal(first.region, undefined, "region was imported as an attribute: its empty column is hidden");

      // 2. An XLSX with a title row and a totals row: same lines, so nothing new.
      //    Its headers are the CSV's: the mapping chosen for it (地区 kept as
      //    an attribute) is remembered; forgotten, the region comes in.
      await app.click('[data-nav="import"]');
      answerDialog(join(FIXTURES, "ledger_title.xlsx"));
      await app.click('[data-testid="import-choose"]');
      await app.untilText('[data-testid="import-file"]', "ledger_title.xlsx");
      assert.match(await app.text('[data-testid="import-remembered"]'), /Read with the mapping you chose for ledger_gbk\.csv on /);
      assert.equal(await app.script("return document.querySelector('[data-testid=map-E]').value"), "");
      await app.click('[data-testid="import-forget-mapping"]');
      await app.until("the detected mapping", async () =>
        (await app.script("return document.querySelector('[data-testid=map-E]')?.value")) === "region",
      );
      assert.equal((await app.findAll('[data-testid="import-remembered"]')).length, 0);
      assert.equal(await app.text('[data-testid="fig-rows"]'), "7");
      assert.equal(await app.text('[data-testid="fig-skipped"]'), "1");
      assert.equal(await app.text('[data-testid="fig-lines-detail"]'), "0 new · 6 already stored");
      const problem = await app.texts('[data-testid="import-problems"] tbody td');
      assert.equal(problem[0], "10");
      assert.match(problem[3], /totals row/);
      // The problem list can be saved as CSV.
      const saved = join(work, "problems.csv");
      answerDialog(saved);
      await app.click('[data-testid="import-save-problems"]');
      await app.untilText('[data-testid="import-message"] span', `Saved to ${saved}`);
      assert.match(readFileSync(saved, "utf8"), /^row,column,value,reason,kind\n10,/);
      await app.click('[data-testid="import-commit"]');
      await app.click('[data-nav="customers"]');
      await app.until("regions from the XLSX", async () =>
        (await firstCustomer(app)).region === "上海",
      );

      // 3. Undo both imports: back to the empty state.
      await app.click('[data-nav="import"]');
      await app.until("the import history", async () => (await app.findAll('[data-testid="import-history"] tbody tr')).length === 2);
      await app.click('[data-testid="import-undo"]');
      await app.untilText('[data-testid="import-message"] span', "Undid the import of ledger_title.xlsx.");
      await app.click('[data-testid="import-undo"]');
      await app.untilText('[data-testid="import-message"] span', "Undid the import of ledger_gbk.csv.");
      await app.click('[data-nav="customers"]');
      await app.untilText('[data-testid="empty-title"]', en["customers.empty.title"]);
      await app.screenshot(SHOTS, "import-undone");
    } finally {
      await app.quit();
    }
  });

  test("a file that cannot be imported says why and leaves the page usable", async () => {
    const app = await suite.launch(join(work, "data2"));
    try {
      await app.click('[data-nav="import"]');
      answerDialog(join(FIXTURES, "password.xlsx"));
      await app.click('[data-testid="import-choose"]');
      await app.until("the refusal", async () => /password-protected/.test(await app.text('[data-testid="import-message"] span')));
      assert.ok(await app.find('[data-testid="import-choose"]'));
      await app.screenshot(SHOTS, "import-refused");
    } finally {
      await app.quit();
    }
  });
});

describe("files that are easy to misread", () => {
  test("an aligned-text ledger: a wrong delimiter is flagged and blocked, spaces read it right", async () => {
    const app = await suite.launch(join(work, "data3"));
    try {
      await app.click('[data-nav="import"]');
      answerDialog(join(FIXTURES, "aligned_ledger.txt"));
      await app.click('[data-testid="import-choose"]');
      await app.untilText('[data-testid="import-file"]', "aligned_ledger.txt");
      // Detected as columns aligned with spaces.
      assert.equal(await app.script("return document.querySelector('[data-testid=import-delimiter]').value"), "space");
      assert.equal(await app.text('[data-testid="fig-customers"]'), "40");

      // Read as comma-separated, every line is one column: flagged, and not importable.
      await app.script(
        "const s = document.querySelector('[data-testid=import-delimiter]'); s.value = 'comma'; s.dispatchEvent(new Event('change', { bubbles: true }));",
      );
      await app.find('[data-testid="check-one_column"]');
      await app.find('[data-testid="check-names_look_like_lines"]');
      assert.equal(await app.script("return document.querySelector('[data-testid=import-commit]').disabled"), true);
      await app.screenshot(SHOTS, "import-aligned-misread");

      // Spaces again: four columns, 300 lines, 40 customers, dates from yyyymmdd.
      await app.script(
        "const s = document.querySelector('[data-testid=import-delimiter]'); s.value = 'space'; s.dispatchEvent(new Event('change', { bubbles: true }));",
      );
      await app.untilText('[data-testid="fig-customers"]', "40");
      assert.equal((await app.findAll('[data-testid="import-checks"]')).length, 0);
      assert.equal(await app.text('[data-testid="fig-lines"]'), "300");
      assert.equal(
        await app.script("return document.querySelector('[data-testid=import-mapping]').dataset.fields"),
        "customer_id,date,quantity,revenue",
      );
      await app.screenshot(SHOTS, "import-aligned");
      await app.click('[data-testid="import-commit"]');
      await app.until("the import message", async () =>
        (await app.text('[data-testid="import-message"] span')).startsWith("Imported aligned_ledger.txt: 300 new sales lines, 40 new customers"),
      );
    } finally {
      await app.quit();
    }
  });
});

describe("the same ledger in another format", () => {
  test("a GBK CSV of the workbook's orders: the duplicates are named and not added, ticking adds them", async () => {
    const app = await suite.launch(join(work, "data4"));
    try {
      await app.click('[data-nav="import"]');
      answerDialog(join(FIXTURES, "superstore_orders.xlsx"));
      await app.click('[data-testid="import-choose"]');
      await app.untilText('[data-testid="import-file"]', "superstore_orders.xlsx");
      assert.equal(await app.text('[data-testid="fig-lines-detail"]'), "8 new · 0 already stored");
      assert.equal((await app.findAll('[data-testid="import-duplicates"]')).length, 0);
      await app.click('[data-testid="import-commit"]');
      await app.until("the import message", async () =>
        (await app.text('[data-testid="import-message"] span')).startsWith("Imported superstore_orders.xlsx: 8 new sales lines"),
      );

      // The same orders from the accounting program: Chinese names, ￥ amounts, no product.
      answerDialog(join(FIXTURES, "superstore_orders_gbk.csv"));
      await app.click('[data-testid="import-choose"]');
      await app.untilText('[data-testid="import-file"]', "superstore_orders_gbk.csv");
      assert.equal(
        await app.text('[data-testid="import-duplicates-text"]'),
        "8 lines look like sales already stored from superstore_orders.xlsx (same order, date and amount). They are not added, so nothing is counted twice.",
      );
      assert.equal(await app.text('[data-testid="fig-lines-detail"]'), "1 new · 8 already stored");
      assert.equal(await app.script("return document.querySelector('[data-testid=import-keep-duplicates]').checked"), false);
      await app.screenshot(SHOTS, "import-duplicates");

      // "Add them anyway": the preview is read again with them as new lines.
      await app.click('[data-testid="import-keep-duplicates"]');
      await app.untilText('[data-testid="fig-lines-detail"]', "9 new · 0 already stored");
      assert.equal(await app.script("return document.querySelector('[data-testid=import-duplicates]').dataset.added"), "true");
      assert.equal(await app.script("return document.querySelector('[data-testid=import-keep-duplicates]').checked"), true);
      assert.match(await app.text('[data-testid="import-duplicates-text"]'), /They will be added as new sales\.$/);
      await app.screenshot(SHOTS, "import-duplicates-added");
      await app.click('[data-testid="import-commit"]');
      await app.until("the import message", async () =>
        (await app.text('[data-testid="import-message"] span')).startsWith("Imported superstore_orders_gbk.csv: 9 new sales lines, 5 new customers"),
      );

      // Undone, and imported again without ticking: only the new order.
      await app.click('[data-testid="import-undo"]');
      await app.untilText('[data-testid="import-message"] span', "Undid the import of superstore_orders_gbk.csv.");
      answerDialog(join(FIXTURES, "superstore_orders_gbk.csv"));
      await app.click('[data-testid="import-choose"]');
      await app.untilText('[data-testid="fig-lines-detail"]', "1 new · 8 already stored");
      await app.click('[data-testid="import-commit"]');
      await app.until("the import message", async () =>
        (await app.text('[data-testid="import-message"] span')).startsWith("Imported superstore_orders_gbk.csv: 1 new sales lines, 1 new customers"),
      );

      // A workbook with a value left far away: the table imports, the value is named.
      answerDialog(join(FIXTURES, "xlsx_stray_value.xlsx"));
      await app.click('[data-testid="import-choose"]');
      await app.untilText('[data-testid="import-file"]', "xlsx_stray_value.xlsx");
      assert.equal(
        await app.text('[data-testid="check-outside_table"]'),
        "1 value outside the table (XFD1048576) was left out: only the columns with a header are imported.",
      );
      assert.equal(await app.script("return document.querySelector('[data-testid=import-commit]').disabled"), false);
      await app.screenshot(SHOTS, "import-outside-table");
      await app.click('[data-testid="import-discard"]');
    } finally {
      await app.quit();
    }
  });
});
