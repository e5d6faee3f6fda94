// End-to-end: the layout on the screens of most small-business laptops,
// 1366×768, and on 1920×1080. The Customers table shows every header and
// every ID whole (the name ellipsizes with "…" and a tooltip), without
// scrolling sideways; columns can be hidden and shown, and the choice is
// remembered; the Dashboard's cards keep a money amount's sign with its
// number and the ABC classes on one line.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, e2eSuite, ROOT, SHOTS } from "./webdriver.mjs";

const en = JSON.parse(readFileSync(join(ROOT, "ui/src/locales/en.json"), "utf8"));
const suite = e2eSuite("layout");
const data = join(suite.work, "data");

/** A ledger like a real one: 240 customers with IDs TC-20001…, long Chinese
 * names, regions, industries, amounts up to millions, some losses. */
function ledger() {
  const lines = ["Customer ID,Customer,Date,Order,Product,Revenue,Cost,Region,Industry"];
  const names = ["高婷英贸易有限公司", "上海浦东新区高婷英国际贸易有限公司第二分公司", "Northwind Traders Wholesale & Logistics Ltd", "华东钢铁有限公司", "北方建材"];
  const regions = ["华东", "South China", "华北", "Northeast"];
  const industries = ["Manufacturing", "批发零售", "Construction & building materials", "餐饮"];
  for (let i = 0; i < 240; i++) {
    const id = `TC-${20001 + i}`;
    const name = `${names[i % names.length]}${i}`;
    for (let k = 0; k < 3; k++) {
      const revenue = i === 0 ? 9876543.21 : ((i * 7919 + k * 104729) % 500000) + 100;
      const cost = i % 9 === 0 ? revenue * 1.2 : revenue * 0.7;
      const day = `2024-${String(1 + ((i + k) % 12)).padStart(2, "0")}-${String(1 + ((i * 3 + k) % 28)).padStart(2, "0")}`;
      lines.push(`${id},${name},${day},O-${i}-${k},P${k},${revenue.toFixed(2)},${cost.toFixed(2)},${regions[i % 4]},${industries[i % 4]}`);
    }
  }
  return lines.join("\n") + "\n";
}

/** The Dashboard's own copy of the data: its window never meets the
 * Customers test's window leaving the same data dir's single-instance name. */
const dashboardData = join(suite.work, "data-dashboard");

before(() => {
  const file = join(suite.work, "ledger.csv");
  writeFileSync(file, ledger());
  for (const dir of [data, dashboardData]) {
    const r = spawnSync(BIN, ["--data-dir", dir, "import", file], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  }
});

/** What the table shows: headers and the visible rows' ID, number and name
 * cells, each with whether its text is cut. */
const tableState = (app) =>
  app.script(`
    const cut = (e) => e.scrollWidth > e.clientWidth;
    const scroller = document.querySelector('[data-testid=customer-scroller]');
    const cells = (col) => [...document.querySelectorAll('[data-testid=customer-row] [data-col=' + col + ']')];
    return {
      sideways: scroller.scrollWidth > scroller.clientWidth ? scroller.scrollWidth + ' > ' + scroller.clientWidth + ' (' + getComputedStyle(document.querySelector('[data-testid=customer-table]')).getPropertyValue('--cols') + ')' : false,
      headers: [...document.querySelectorAll('[role=columnheader]')].map((h) => ({ col: h.dataset.col, text: h.textContent.trim(), cut: cut(h), title: h.title })),
      ids: cells('ext_id').map((c) => ({ text: c.textContent, cut: cut(c) })),
      numbers: ['revenue', 'profit', 'margin', 'orders', 'last_purchase', 'first_purchase', 'class', 'key']
        .flatMap((col) => cells(col).map((c) => ({ col, text: c.textContent.trim(), cut: cut(c) }))),
      names: ['name', 'region', 'industry'].flatMap((col) => cells(col).map((c) => ({ col, text: c.textContent, title: c.title, cut: cut(c), overflow: getComputedStyle(c).textOverflow }))),
    };`);

function assertWhole(state, where) {
  assert.equal(state.sideways, false, `${where}: the table scrolls sideways`);
  assert.ok(state.headers.length >= 10, `${where}: ${state.headers.length} headers`);
  for (const h of state.headers) {
    assert.equal(h.cut, false, `${where}: header ${h.col} "${h.text}" is cut`);
    assert.ok(h.title, `${where}: header ${h.col} has no tooltip`);
  }
  assert.ok(state.ids.length > 5, `${where}: IDs shown`);
  for (const c of [...state.ids, ...state.numbers]) assert.equal(c.cut, false, `${where}: cell "${c.text}" (${c.col ?? "ext_id"}) is cut`);
  // Names, regions and industries may be cut, with "…" and the whole text as a tooltip.
  for (const n of state.names) {
    assert.equal(n.title, n.text, `${where}: the ${n.col}'s tooltip is the whole text`);
    assert.equal(n.overflow, "ellipsis", `${where}: a cut ${n.col} ends with …`);
  }
}

/** Sets the window's outer size and waits until the page has it. */
async function resize(app, width, height) {
  await app.setWindowRect({ width, height });
  await app.until(`a ${width}×${height} window`, async () => {
    const r = await app.windowRect();
    return r.width === width && r.height === height;
  });
  await new Promise((r) => setTimeout(r, 500));
}

describe("layout at 1366×768 and 1920×1080", () => {
  test("the Customers table: headers and IDs whole, names with …, columns chosen and remembered, sorting", async () => {
    let app = await suite.launch(data);
    try {
      await resize(app, 1366, 768);
      await app.click('[data-nav="customers"]');
      await app.untilText('[data-testid="customer-count"]', "240 of 240");
      await app.screenshot(SHOTS, "layout-customers-1366");
      let state = await tableState(app);
      assertWhole(state, "1366×768");
      // The long names are cut, with "…" and the whole name as a tooltip.
      assert.ok(state.names.some((n) => n.col === "name" && n.cut), "a long name is ellipsized");

      // Sorting by a header still works: IDs ascending.
      await app.click('[data-sort="ext_id"]');
      await app.until("sorted by ID", async () => (await tableState(app)).ids[0]?.text === "TC-20001");
      await app.click('[data-sort="ext_id"]');
      await app.until("sorted by ID, descending", async () => (await tableState(app)).ids[0]?.text === "TC-20240");

      // The column chooser: hide the region, show the first order.
      await app.click('[data-testid="column-chooser"] summary');
      await app.click('[data-column="region"]');
      await app.click('[data-column="first_purchase"]');
      state = await tableState(app);
      const cols = state.headers.map((h) => h.col);
      assert.ok(!cols.includes("region") && cols.includes("first_purchase"), cols.join());
      assertWhole(state, "1366×768, region hidden, first order shown");
      await app.screenshot(SHOTS, "layout-customers-1366-columns");

      // 中文 at the same size.
      await app.click('[data-testid="column-chooser"] summary');
      await app.click('[data-lang="zh-CN"]');
      await app.until("Chinese headers", async () => (await tableState(app)).headers[0].text.startsWith("客户"));
      assertWhole(await tableState(app), "1366×768 中文");
      await app.screenshot(SHOTS, "layout-customers-1366-zh");
      await app.click('[data-lang="en"]');
    } finally {
      await app.quit();
    }

    app = await suite.launch(data);
    try {
      await app.click('[data-nav="customers"]');
      await app.untilText('[data-testid="customer-count"]', "240 of 240");
      await resize(app, 1920, 1080);
      const state = await tableState(app);
      const cols = state.headers.map((h) => h.col);
      assert.ok(!cols.includes("region") && cols.includes("first_purchase"), `the choice is remembered: ${cols.join()}`);
      assertWhole(state, "1920×1080");
      assert.ok(state.names.every((n) => n.col !== "name" || !n.cut), "at 1920 every name is whole");
      await app.screenshot(SHOTS, "layout-customers-1920");
      // Every column back: still no header or ID cut.
      await app.click('[data-testid="column-chooser"] summary');
      await app.click('[data-column="region"]');
      await app.click('[data-testid="column-chooser"] summary');
      assertWhole(await tableState(app), "1920×1080, every column");
    } finally {
      await app.quit();
    }
  });

  test("the Dashboard's cards at 1366×768: a sign stays with its amount, ABC on one line", async () => {
    const app = await suite.launch(dashboardData);
    try {
      await resize(app, 1366, 768);
      await app.untilText('[data-testid="fig-customers"]', "240");
      const lines = (testid) =>
        app.script(
          `const e = document.querySelector('[data-testid=${testid}]'); const r = document.createRange(); r.selectNodeContents(e);
           return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;`,
        );
      assert.equal(await lines("fig-abc"), 1, "the ABC classes are on one line");
      assert.equal(await lines("fig-unprofitable"), 1, "the customers below zero and their loss are on one line");
      // The loss amount: "-¥…" never breaks between the sign and the number.
      const loss = await app.text('[data-testid="fig-unprofitable"]');
      assert.match(loss, /-\u2060?¥[\d,]+\.\d\d$/, loss);
      const signLines = await app.script(
        `const e = document.querySelector('[data-testid=fig-unprofitable]'); const text = e.firstChild; const at = text.data.lastIndexOf('-');
         const r = document.createRange(); r.setStart(text, at); r.setEnd(text, text.data.length);
         return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;`,
      );
      assert.equal(signLines, 1, "the amount and its sign are on one line");
      await app.screenshot(SHOTS, "layout-dashboard-1366");
      await app.click('[data-lang="zh-CN"]');
      await app.until("中文", async () => (await app.text('[data-nav="dashboard"]')) !== en["nav.dashboard"]);
      assert.equal(await lines("fig-abc"), 1, "中文: the ABC classes are on one line");
      assert.equal(await lines("fig-unprofitable"), 1, "中文: below zero on one line");
      await app.screenshot(SHOTS, "layout-dashboard-1366-zh");
      await app.click('[data-lang="en"]');
    } finally {
      await app.quit();
    }
  });
});
