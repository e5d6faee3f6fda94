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


/** The Dashboard's chart measured in the real webview: its SVG put into the
 * page (drawn with the webview's own fonts, as the <img> draws it) and each
 * part's box read with getBBox, in the SVG's pixels: the notes, every text,
 * the bars (losses marked) and the plot (the axes' extent). */
const chartParts = (app) =>
  app.script(`
    const img = document.querySelector('[data-testid=chart-image]');
    const holder = document.createElement('div');
    holder.style.cssText = 'position:absolute;left:0;top:0;visibility:hidden';
    holder.innerHTML = decodeURIComponent(img.src.slice(img.src.indexOf(',') + 1));
    document.body.append(holder);
    try {
      const box = (e) => { const b = e.getBBox(); return { x: b.x, y: b.y, w: b.width, h: b.height }; };
      const rects = [...holder.querySelectorAll('rect')];
      const fill = (r) => r.getAttribute('fill');
      const axes = [...holder.querySelectorAll('polyline')].filter((p) => p.getAttribute('stroke') === '#56706E').map(box).filter((b) => Math.max(b.w, b.h) > 100);
      const svg = holder.querySelector('svg');
      return {
        width: Number(svg.getAttribute('width')),
        notes: rects.filter((r) => fill(r) === '#FFFFFF' && r.getAttribute('opacity') === '0.94').map(box),
        bars: rects.filter((r) => ['#0F5E63', '#6FAFAA', '#C4CECD', '#C83C32'].includes(fill(r)) && r.getAttribute('opacity') === '1').map((r) => ({ ...box(r), loss: fill(r) === '#C83C32' })),
        texts: [...holder.querySelectorAll('text')].map((t) => ({ text: t.textContent.trim(), ...box(t) })),
        plot: {
          x: Math.min(...axes.map((b) => b.x)), y: Math.min(...axes.map((b) => b.y)),
          right: Math.max(...axes.map((b) => b.x + b.w)), bottom: Math.max(...axes.map((b) => b.y + b.h)),
        },
      };
    } finally {
      holder.remove();
    }`);

const inside = (a, b, slack = 1) => a.x >= b.x - slack && a.y >= b.y - slack && a.x + a.w <= b.x + b.w + slack && a.y + a.h <= b.y + b.h + slack;
const apart = (a, b) => a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;

/** The Pareto's notes as the webview draws them: the top customers' box
 * (found by its `headline`) and every other note inside the plot, over no
 * bar (the red loss bars included), each text inside its box. */
function assertNotes(parts, headline, where) {
  const head = parts.texts.find((t) => t.text === headline);
  assert.ok(head, `${where}: "${headline}" is drawn`);
  const top = parts.notes.find((n) => inside({ ...head, w: 1, h: 1 }, n, 0));
  assert.ok(top, `${where}: "${headline}" is in a box`);
  assert.ok(parts.bars.some((b) => b.loss), `${where}: the chart has loss bars`);
  const plot = { x: parts.plot.x, y: parts.plot.y, w: parts.plot.right - parts.plot.x, h: parts.plot.bottom - parts.plot.y };
  for (const n of parts.notes) {
    assert.ok(inside(n, plot), `${where}: note ${JSON.stringify(n)} inside the plot ${JSON.stringify(plot)}`);
    for (const b of parts.bars.filter((b) => inside(b, plot))) assert.ok(apart(n, b), `${where}: note ${JSON.stringify(n)} over a ${b.loss ? "loss " : ""}bar ${JSON.stringify(b)}`);
    const texts = parts.texts.filter((t) => t.text && inside({ x: t.x + t.w / 2, y: t.y + t.h / 2, w: 0, h: 0 }, n, 0));
    assert.ok(texts.length > 0, `${where}: note ${JSON.stringify(n)} has text`);
    for (const t of texts) assert.ok(inside(t, n), `${where}: "${t.text}" ${JSON.stringify(t)} runs past its box ${JSON.stringify(n)}`);
  }
  assert.ok(parts.texts.filter((t) => /^1\. /.test(t.text)).length === 1, `${where}: the top customer is named`);
}

describe("layout at 1366×768 and 1920×1080", () => {
  test("the Customers table: headers and IDs whole, names with …, columns chosen and remembered, sorting", async () => {
    let app = await suite.launch(data);
    try {
      await app.resize(1366, 768);
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
      await app.resize(1920, 1080);
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
      await app.resize(1366, 768);
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
      // 大客户 is one word: the sidebar's counts never break inside one.
      const countLines = await app.script(
        `return [...document.querySelectorAll('[data-testid=store-counts] .nowrap')].map((e) => {
           const r = document.createRange(); r.selectNodeContents(e);
           return [e.textContent, new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size];
         });`,
      );
      assert.equal(countLines.length, 3, JSON.stringify(countLines));
      for (const [text, n] of countLines) assert.equal(n, 1, `"${text}" is on one line`);
      await app.click('[data-lang="en"]');
    } finally {
      await app.quit();
    }
  });

  test("the Dashboard's chart at 1366×768: notes where no data is, the tooltip inside the chart, copy feedback by its button", async () => {
    const app = await suite.launch(dashboardData);
    try {
      await app.resize(1366, 768);
      await app.untilText('[data-testid="fig-customers"]', "240");
      await app.until("the Pareto", async () => Number(await app.script("return document.querySelector('[data-testid=chart-image]')?.dataset.regions")) > 0);
      await app.script("document.querySelector('[data-testid=chart-box]').scrollIntoView({ block: 'center' })");
      assertNotes(await chartParts(app), en["chart.note.top_customers"], "1366×768");
      await app.screenshot(SHOTS, "layout-dashboard-chart-1366");
      // 240 customers: bars are percentiles, not customers; no click hint.
      assert.equal(await app.text('[data-testid="chart-hint"]'), en["dashboard.chart_hint_hover"]);

      // The tooltip of the last (loss) bar, at the chart's right edge, stays
      // inside the chart and scrolls nothing.
      const target = await app.script(`
        const img = document.querySelector('[data-testid=chart-image]');
        const svg = new DOMParser().parseFromString(decodeURIComponent(img.src.slice(img.src.indexOf(',') + 1)), 'image/svg+xml');
        const k = img.clientWidth / Number(svg.documentElement.getAttribute('width'));
        const bars = [...svg.querySelectorAll('rect[fill="#C83C32"]')].map((r) => ['x', 'y', 'width', 'height'].map((a) => Number(r.getAttribute(a))));
        const [x, y, w, h] = bars.reduce((a, b) => (b[0] > a[0] ? b : a));
        const at = img.getBoundingClientRect();
        return { x: Math.round(at.left + (x + w / 2) * k), y: Math.round(at.top + (y + Math.min(h / 2, 20)) * k) };`);
      await app.cmd("POST", "/actions", { actions: [{ type: "pointer", id: "mouse", parameters: { pointerType: "mouse" }, actions: [{ type: "pointerMove", origin: "viewport", x: target.x, y: target.y, duration: 0 }] }] });
      await app.find('[data-testid="chart-tooltip"]');
      await new Promise((r) => setTimeout(r, 300));
      const tip = await app.script(`
        const t = document.querySelector('[data-testid=chart-tooltip]').getBoundingClientRect();
        const c = document.querySelector('[data-testid=chart-box]').getBoundingClientRect();
        const main = document.querySelector('main');
        return { inside: t.left >= c.left - 1 && t.right <= c.right + 1, tip: [t.left, t.right], chart: [c.left, c.right], sideways: main.scrollWidth > main.clientWidth, page: document.documentElement.scrollWidth > window.innerWidth };`);
      await app.screenshot(SHOTS, "layout-dashboard-tooltip-1366");
      assert.ok(tip.inside, `the tooltip ${tip.tip} inside the chart ${tip.chart}`);
      assert.equal(tip.sideways, false, "the page does not scroll sideways");
      assert.equal(tip.page, false, "the window does not scroll sideways");
      await app.cmd("POST", "/actions", { actions: [{ type: "pointer", id: "mouse", parameters: { pointerType: "mouse" }, actions: [{ type: "pointerMove", origin: "viewport", x: 5, y: 5, duration: 0 }] }] });

      // Copy chart says so by its button, in view.
      await app.click('[data-testid="copy-chart"]');
      await app.untilText('[data-testid="dashboard-message"] span', en["dashboard.copied"]);
      const near = await app.script(`
        const m = document.querySelector('[data-testid=dashboard-message]').getBoundingClientRect();
        const b = document.querySelector('[data-testid=copy-chart]').getBoundingClientRect();
        return { visible: m.top >= 0 && m.bottom <= window.innerHeight, gap: m.top - b.bottom };`);
      assert.ok(near.visible, "the copy message is in view");
      assert.ok(near.gap >= 0 && near.gap < 60, `the copy message is under its button (${near.gap} px)`);
      await app.screenshot(SHOTS, "layout-dashboard-copied-1366");

      // 中文: the notes still fit and sit where no data is.
      const zh = JSON.parse(readFileSync(join(ROOT, "ui/src/locales/zh-CN.json"), "utf8"));
      await app.click('[data-lang="zh-CN"]');
      await app.until("the Chinese Pareto", async () => (await chartParts(app)).texts.some((t) => t.text === zh["chart.note.top_customers"]));
      assertNotes(await chartParts(app), zh["chart.note.top_customers"], "1366×768 中文");
      await app.screenshot(SHOTS, "layout-dashboard-chart-1366-zh");
      await app.click('[data-lang="en"]');

      // 1920×1080: the column uses the width; the title sits over it.
      await app.resize(1920, 1080);
      await app.until("a wider chart", async () => (await chartParts(app)).width >= 1500);
      assertNotes(await chartParts(app), en["chart.note.top_customers"], "1920×1080");
      const column = await app.script(`
        const h = document.querySelector('[data-testid=page-title]').getBoundingClientRect();
        const c = document.querySelector('.chart-card').getBoundingClientRect();
        return { title: h.left, card: c.left, width: c.width };`);
      assert.ok(Math.abs(column.title - column.card) <= 2, `the title (${column.title}) over the column (${column.card})`);
      assert.ok(column.width > 1500, `the column uses the width (${column.width} px)`);
      await app.screenshot(SHOTS, "layout-dashboard-1920");
    } finally {
      await app.quit();
    }
  });

  test("the Customers table hides a column no row has a value in, and offers it", async () => {
    const dir = join(suite.work, "data-no-industry");
    const file = join(suite.work, "no-industry.csv");
    const rows = ["Customer ID,Customer,Date,Revenue,Cost,Region,Industry"];
    for (let i = 0; i < 30; i++) rows.push(`C${100 + i},客户${i},2024-0${1 + (i % 9)}-1${i % 9},${1000 + i * 37},${700 + i * 11},华东,`);
    writeFileSync(file, rows.join("\n") + "\n");
    const r = spawnSync(BIN, ["--data-dir", dir, "import", file], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const app = await suite.launch(dir);
    try {
      await app.resize(1366, 768);
      await app.click('[data-nav="customers"]');
      await app.untilText('[data-testid="customer-count"]', "30 of 30");
      let cols = (await tableState(app)).headers.map((h) => h.col);
      assert.ok(!cols.includes("industry") && cols.includes("region"), `the empty industry is hidden: ${cols.join()}`);
      await app.screenshot(SHOTS, "layout-customers-empty-column-1366");
      // The chooser still offers it, unticked; ticking shows it.
      await app.click('[data-testid="column-chooser"] summary');
      assert.equal(await app.script("return document.querySelector('[data-column=industry]').checked"), false);
      await app.click('[data-column="industry"]');
      cols = (await tableState(app)).headers.map((h) => h.col);
      assert.ok(cols.includes("industry"), `shown when asked for: ${cols.join()}`);
      // The search box is never narrower than its placeholder, in either language.
      const placeholderFits = () =>
        app.script(`
          const i = document.querySelector('[data-testid=customer-search]'); const s = getComputedStyle(i);
          const c = document.createElement('canvas').getContext('2d'); c.font = s.fontWeight + ' ' + s.fontSize + ' ' + s.fontFamily;
          return [c.measureText(i.placeholder).width, i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)];`);
      let fits = await placeholderFits();
      assert.ok(fits[0] <= fits[1], `the placeholder (${fits[0]} px) fits the box (${fits[1]} px)`);
      await app.click('[data-testid="column-chooser"] summary');
      await app.click('[data-lang="zh-CN"]');
      await app.until("中文", async () => (await app.text('[data-nav="customers"]')) !== en["nav.customers"]);
      fits = await placeholderFits();
      assert.ok(fits[0] <= fits[1], `中文: the placeholder (${fits[0]} px) fits the box (${fits[1]} px)`);
      await app.screenshot(SHOTS, "layout-customers-empty-column-1366-zh");
      await app.click('[data-lang="en"]');
    } finally {
      await app.quit();
    }
  });
});
