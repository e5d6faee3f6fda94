// End-to-end: every figure true, in the owner's language, at 1366×768 in
// 中文 — a revenue-only ledger opens to the revenue headline (not an empty
// profit Dashboard), the Customers table exports what it shows (filtered,
// sorted, its visible columns), and the 中文 screens hold no English words
// (names and units aside).
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, e2eSuite, ROOT, SHOTS } from "./webdriver.mjs";

const suite = e2eSuite("figures");
const { work, answerDialog } = suite;
const data = join(work, "data");
const zh = JSON.parse(readFileSync(new URL("../../ui/src/locales/zh-CN.json", import.meta.url), "utf8"));

// A record shop's ledger: customer, date, amount — no profit, no cost. Two of
// twenty customers buy most; the names are Chinese.
const NAMES = ["华东唱片行", "北方音像", ...Array.from({ length: 18 }, (_, i) => `客户${i + 1}`)];
before(() => {
  const rows = ["客户,日期,金额"];
  NAMES.forEach((name, i) => {
    const amount = i === 0 ? 5000 : i === 1 ? 3000 : 100;
    rows.push(`${name},2026-0${1 + (i % 9)}-15,${amount}`);
  });
  const file = join(work, "cd-store.csv");
  writeFileSync(file, rows.join("\n") + "\n");
  const r = spawnSync(BIN, ["--data-dir", data, "import", file], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});

/** The words of the page's visible text that are English: runs of three or
 * more Latin letters, less the names the owner's data holds and the units
 * and abbreviations a Chinese screen uses as they are. */
async function englishWords(app) {
  const text = await app.script("return document.querySelector('main').innerText");
  const allowed = new Set(["CSV", "XLSX", "XLSM", "XLS", "ODS", "TSV", "TXT", "PNG", "SVG", "PDF", "ABC", "RFM", "Gini", "HHI", "Vital", "Few", "WPS", "Excel", "GBK", "UTF"]);
  // File paths (where an export was saved) are the owner's names too.
  const withoutPaths = text
    .replace(/(?:[A-Za-z]:)?[\\/][^\s，。：）]+/g, " ")
    .replace(/[\w.-]+\.(?:csv|tsv|txt|xlsx|xlsm|xls|ods|vfbackup)\b/gi, " ");
  return (withoutPaths.match(/[A-Za-z]{3,}/g) ?? []).filter((w) => !allowed.has(w));
}

describe("figures an owner can act on", () => {
  test("a revenue-only ledger in 中文: the revenue headline, a filtered export, no English words", async () => {
    const app = await suite.launch(data);
    try {
      await app.resize(1366, 768);
      await app.click('[data-lang="zh-CN"]');
      await app.untilText('[data-testid="page-title"]', zh["dashboard.title"]);

      // By revenue, said once, with the 80/20 headline for revenue.
      await app.untilText('[data-testid="dashboard-no-profit"]', zh["measure.no_profit"]);
      assert.match(await app.text('[data-testid="headline-sentence"]'), /前 20% 的客户（4 个）贡献了 83\.7% 的营业额/);
      const measures = await app.script("return [...document.querySelectorAll('[data-testid=filter-measure] option')].map((o) => o.value)");
      assert.deepEqual(measures, ["revenue"], "no profit or margin to choose");
      const charts = await app.script("return [...document.querySelectorAll('[data-chart]')].map((b) => b.dataset.chart)");
      assert.ok(!charts.includes("revenue_vs_profit"), `no profit to set against revenue: ${charts}`);
      assert.deepEqual(await englishWords(app), []);
      await app.screenshot(SHOTS, "figures-revenue-only-zh-1366");

      // The Customers table: no profit columns of dashes; the export writes
      // the rows it shows, in its order, with its columns.
      await app.click('[data-nav="customers"]');
      await app.untilText('[data-testid="customers-no-profit"]', zh["measure.no_profit"]);
      const headers = await app.texts('[data-testid="customer-table"] [role="columnheader"]');
      assert.ok(!headers.some((h) => h.includes(zh["customers.col.profit"])), headers.join(" | "));
      await app.type('[data-testid="customer-search"]', "客户1");
      await app.until("the search", async () => (await app.findAll('[data-testid="customer-row"]')).length < NAMES.length);
      const shown = await app.script(
        "return [...document.querySelectorAll('[data-testid=customer-row] [data-col=name]')].map((c) => c.textContent.trim())",
      );
      const out = join(work, "shown.csv");
      answerDialog(out);
      await app.click('[data-testid="export-customers"]');
      await app.until("the export", async () => (await app.findAll('[data-testid="export-customers-message"]')).length === 1);
      const lines = readFileSync(out, "utf8").replace(/^\uFEFF/, "").trim().split("\n");
      const head = lines[0].split(",");
      assert.ok(!head.includes(zh["export.col.profit"]), lines[0]);
      const nameAt = head.indexOf(zh["export.col.name"]);
      assert.deepEqual(lines.slice(1).map((l) => l.split(",")[nameAt]), shown, "the rows shown, in their order");
      assert.deepEqual(await englishWords(app), []);
      await app.screenshot(SHOTS, "figures-customers-zh-1366");

      // Key accounts: by revenue too.
      await app.click('[data-nav="accounts"]');
      await app.untilText('[data-testid="accounts-no-profit"]', zh["measure.no_profit"]);
      assert.deepEqual(await englishWords(app), []);
      await app.click('[data-nav="import"]');
      await app.untilText('[data-testid="page-title"]', zh["import.title"]);
      assert.deepEqual(await englishWords(app), []);

      // A file that cannot be imported: why, in 中文.
      answerDialog(join(ROOT, "tests/fixtures/password.xlsx"));
      await app.click('[data-testid="import-choose"]');
      await app.until("the refusal", async () => (await app.text('[data-testid="import-message"] span')).includes(zh["import.file.password"]));
      assert.deepEqual(await englishWords(app), []);
      assert.equal((await app.findAll('[data-testid="import-message"] button')).length, 0, "a refusal offers no way to the customers");
      await app.screenshot(SHOTS, "figures-refused-zh-1366");
    } finally {
      await app.quit();
    }
  });
});
