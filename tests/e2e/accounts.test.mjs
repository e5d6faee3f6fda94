// End-to-end: the key-account playbook in the real webview — promote a
// suggested customer, answer the questionnaire, confirm the type, tick the
// checklist, move through the phases on the board by dragging, fall back
// with a reason, see the timeline and the week's actions; then the same
// screens in 中文.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { BIN, e2eSuite, ROOT, SHOTS } from "./webdriver.mjs";

const suite = e2eSuite("accounts");
const data = join(suite.work, "data");

before(() => {
  const r = spawnSync(BIN, ["--data-dir", data, "import", join(ROOT, "tests/fixtures/ledger_gbk.csv")], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});

/** The CLI on the same store (only while no window holds it). */
const cli = (...args) => {
  const r = spawnSync(BIN, ["--data-dir", data, ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

/** Drags a board card onto a column with the events a real drag fires. */
const drag = (app, id, phase) =>
  app.script(
    `const card = document.querySelector('[data-card="' + arguments[0] + '"]');
     const col = document.querySelector('[data-column="' + arguments[1] + '"]');
     const dt = new DataTransfer();
     const fire = (el, type) => el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
     fire(card, 'dragstart'); fire(col, 'dragenter'); fire(col, 'dragover'); fire(col, 'drop'); fire(card, 'dragend');`,
    [String(id), phase],
  );

const cardsIn = (app, phase) =>
  app.script(`return [...document.querySelectorAll('[data-column="${phase}"] [data-card]')].map((c) => c.dataset.card)`);

/** A card's text (textContent: WebDriver leaves out text clipped with an ellipsis). */
const card = (app, id) => app.script(`return document.querySelector('[data-card="${id}"]').textContent`);

describe("key accounts", () => {
  test("promote, classify, tick, move on the board, fall back with a reason, and read the timeline", async () => {
    const app = await suite.launch(data);
    try {
      await app.click('[data-nav="accounts"]');
      // 华东钢铁 (id 1) makes 93.8% of the profit: the one suggestion.
      await app.until("the candidates", async () => (await app.findAll('[data-testid="candidate"]')).length === 1);
      assert.match(await app.text('[data-testid="candidate"]'), /华东钢铁有限公司.*A-class by profit: #1, 93\.8% of profit/s);
      await app.screenshot(SHOTS, "accounts-empty-board-en");
      await app.click('[data-testid="candidate"][data-id="1"] [data-testid="candidate-promote"]');

      // Its page opens: suggested economic from the data (A-class by revenue).
      await app.untilText('[data-testid="account-name"]', "华东钢铁有限公司");
      await app.untilText('[data-testid="type-suggestion"]', "Suggested: Economic");
      assert.match(await app.text('[data-testid="type-signals"]'), /A-class by revenue \(68\.4% of all revenue\)/);
      assert.equal(await app.text('[data-testid="store-info"] div'), "4 customers · 6 sales lines · 1 key account");
      // Case C of the seeds: they asked about cooperation and outsourcing → strategic.
      await app.click('[data-answer="asked_cooperation"]');
      await app.untilText('[data-testid="type-suggestion"]', "Suggested: Strategic");
      await app.until("the picker to follow the suggestion", async () =>
        (await app.script("return document.querySelector('[data-testid=type-select]').value")) === "strategic",
      );
      await app.click('[data-testid="type-confirm"]');
      await app.untilText('[data-testid="type-confirmed"]', "Confirmed: Strategic");
      assert.match(await app.text('[data-testid="strategy-card"]'), /Strategy card: Strategic.*top managements/s);

      // Tick the establish checklist; a complete list suggests the next phase.
      for (const item of ["product_fit", "central_purchasing", "buys_continuously", "scale_match", "know_industry"]) {
        await app.click(`[data-item="${item}"]`);
        await app.until(`${item} saved`, async () => app.script(`return document.querySelector('[data-item="${item}"]').checked`));
      }
      await app.untilText('[data-testid="checklist-complete"]', "Checklist complete: ready for Stabilize.");

      // A next action due today shows on the card and in the Dashboard's week.
      await app.type('[data-testid="action-text"]', "Visit their purchasing manager");
      await app.click('[data-testid="action-add"]');
      await app.until("the action", async () => (await app.texts('[data-testid="action"]')).some((t) => t.includes("Visit their purchasing manager")));
      await app.screenshot(SHOTS, "account-page-en");

      // The board: drag forward twice, then back to establish.
      await app.click('[data-testid="account-back"]');
      await app.until("the card in establish", async () => (await cardsIn(app, "establish")).includes("1"));
      assert.match(await card(app, 1), /Strategic[\s\S]*Checklist 5\/5[\s\S]*Visit their purchasing manager/);
      await drag(app, 1, "stabilize");
      await app.until("the card in stabilize", async () => (await cardsIn(app, "stabilize")).includes("1"));
      await drag(app, 1, "strengthen");
      await app.until("the card in strengthen", async () => (await cardsIn(app, "strengthen")).includes("1"));
      await app.screenshot(SHOTS, "board-en");

      // A fallback asks why; no reason, no move.
      await drag(app, 1, "establish");
      await app.until("the reason dialog", async () => (await app.findAll('[data-testid="move-reasons"]')).length === 1);
      await app.click('[data-testid="move-confirm"]');
      await app.untilText('[data-testid="move-problem"]', "A fallback needs a reason: choose one, or describe it.");
      assert.deepEqual(await cardsIn(app, "strengthen"), ["1"]);
      await app.click('[data-reason="their_personnel"]');
      await app.type('[data-testid="move-note"]', "Their purchasing manager retired");
      await app.screenshot(SHOTS, "fallback-dialog-en");
      await app.click('[data-testid="move-confirm"]');
      await app.until("the card back in establish", async () => (await cardsIn(app, "establish")).includes("1"));
      // The cycle starts over: only the point read from the sales data stays.
      assert.match(await card(app, 1), /Checklist 0\/5/);

      // The timeline keeps every step.
      await app.click('[data-card="1"]');
      await app.untilText('[data-testid="account-phase"]', "Establish");
      const entries = await app.texts('[data-testid="timeline-entry"]');
      assert.equal(entries.length, 5, entries.join("\n"));
      assert.match(entries[0], /Fell back from Strengthen to Establish\s*Reason: Personnel change on their side\s*Their purchasing manager retired\s*Checklist started over \(5 points\)/);
      assert.match(entries[1], /Moved from Stabilize to Strengthen/);
      assert.match(entries[2], /Moved from Establish to Stabilize/);
      assert.match(entries[3], /Type set to Strategic \(suggested: Strategic\)|Type confirmed: Strategic/);
      assert.match(entries[4], /Became a key account/);
      await app.screenshot(SHOTS, "timeline-en");

      // Dashboard: this week's action, and the figures for key accounts only.
      await app.click('[data-nav="dashboard"]');
      await app.until("this week", async () => (await app.texts('[data-testid="due-action"]')).some((t) => /华东钢铁有限公司\s*Visit their purchasing manager/.test(t)));
      await app.untilText('[data-testid="fig-customers"]', "4");
      await app.select("filter-scope", "key");
      await app.untilText('[data-testid="fig-customers"]', "1");
      await app.select("filter-scope", "economic");
      await app.untilText('[data-testid="fig-customers"]', "0");
      await app.select("filter-scope", "strategic");
      await app.untilText('[data-testid="fig-customers"]', "1");
      await app.screenshot(SHOTS, "dashboard-week-en");
      // Clicking the action opens the account.
      await app.click('[data-testid="due-action"] button');
      await app.untilText('[data-testid="account-name"]', "华东钢铁有限公司");

      // The same screens in 中文.
      await app.click('[data-lang="zh-CN"]');
      await app.untilText('[data-testid="type-confirmed"]', "已确认：战略型");
      assert.match(await app.text('[data-testid="strategy-card"]'), /策略卡：战略型/);
      const zhEntries = await app.texts('[data-testid="timeline-entry"]');
      assert.match(zhEntries[0], /从加强关系退回建立关系\s*原因：对方人事变动/);
      assert.match(await app.text('[data-testid="checklist"]'), /我们的产品和销售方式适合对方/);
      await app.screenshot(SHOTS, "account-page-zh");
      await app.click('[data-testid="account-back"]');
      await app.until("the board in 中文", async () => (await app.text('[data-column="stabilize"] h3')).startsWith("稳定关系"));
      assert.match(await card(app, 1), /战略型[\s\S]*清单 0\/5/);
      // The fallback dialog in 中文, cancelled.
      await drag(app, 1, "stabilize");
      await app.until("the card in stabilize", async () => (await cardsIn(app, "stabilize")).includes("1"));
      await drag(app, 1, "establish");
      await app.until("the reason dialog", async () => (await app.findAll('[data-testid="move-reasons"]')).length === 1);
      assert.match(await app.text('[data-testid="move-reasons"]'), /关系为什么退回？[\s\S]*市场变化[\s\S]*对方人事变动[\s\S]*我方人事变动[\s\S]*其他/);
      await app.screenshot(SHOTS, "fallback-dialog-zh");
      await app.click('[data-testid="move-cancel"]');
      await app.until("the dialog closed", async () => (await app.findAll('[data-testid="move-dialog"]')).length === 0);
      assert.deepEqual(await cardsIn(app, "stabilize"), ["1"]);
      await app.screenshot(SHOTS, "board-zh");

      // Demote: the card leaves the board, the history stays.
      await app.click('[data-card="1"]');
      await app.click('[data-testid="account-demote"]');
      await app.click('[data-testid="demote-yes"]');
      await app.until("the board", async () => (await app.findAll('[data-testid="board"]')).length === 1);
      assert.equal((await app.findAll("[data-card]")).length, 0);
      await app.click('[data-lang="en"]');
      await app.untilText('[data-testid="accounts-notice"] span', "华东钢铁有限公司 is no longer a key account.");
      await app.untilText('[data-testid="former"] h3', "Former key accounts");
      assert.match(await app.text('[data-testid="former-account"]'), /华东钢铁有限公司[\s\S]*demoted/);
      // Promoted again: a new cycle from establish, the old history kept.
      await app.click('[data-testid="former-promote"]');
      await app.untilText('[data-testid="account-phase"]', "Establish");
      assert.equal((await app.findAll('[data-testid="timeline-entry"]')).length, 8);

      // The Customers table shows who is a key account, opens it, and promotes others.
      await app.click('[data-nav="customers"]');
      const keyCell = (name) =>
        app.script(
          `const row = [...document.querySelectorAll('[data-testid=customer-row]')].find((r) => r.textContent.includes(arguments[0]));
           return row?.querySelector('[data-testid=customer-key]').textContent.trim();`,
          [name],
        );
      await app.until("the key-account column", async () => (await keyCell("华东钢铁有限公司")) === "Strategic");
      assert.equal(await keyCell("西部机械厂"), "Promote");
      await app.script(
        `[...document.querySelectorAll('[data-testid=customer-row]')].find((r) => r.textContent.includes('西部机械厂')).querySelector('[data-testid=customer-key] button').click()`,
      );
      await app.untilText('[data-testid="account-name"]', "西部机械厂");
      await app.untilText('[data-testid="store-info"] div', "4 customers · 6 sales lines · 2 key accounts");
    } finally {
      await app.quit();
    }
    // What the UI did is what the store holds (the CLI reads it once the window is closed).
    const [account] = JSON.parse(cli("accounts", "--json", "--all"));
    assert.equal(account.type, "strategic");
    assert.deepEqual(
      account.history.map((h) => [h.phase, h.reason, h.note]),
      [
        ["establish", null, null],
        ["stabilize", null, null],
        ["strengthen", null, null],
        ["establish", "their_personnel", "Their purchasing manager retired"],
        ["stabilize", null, null],
        ["establish", null, null],
      ],
    );
  });
});
