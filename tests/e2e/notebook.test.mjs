// End-to-end: the key-account notebook in the real webview at 1366×768 —
// fill the dossier, add contacts in three roles with one click each, see the
// buying map flag the missing ones, log a visit with a next step, see it and
// a birthday in the Dashboard's This week, find a note with Ctrl+K, remove
// and undo; then the same pages in 中文.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, e2eSuite, ROOT, SHOTS } from "./webdriver.mjs";

const suite = e2eSuite("notebook");
const data = join(suite.work, "data");

/** The CLI on the same store (only while no window holds it). */
const cli = (...args) => {
  const r = spawnSync(BIN, ["--data-dir", data, ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const inDays = (n) => {
  const d = new Date();
  d.setDate(d.getDate() + n);
  return d;
};

before(() => {
  cli("import", join(ROOT, "tests/fixtures/ledger_gbk.csv"));
  cli("account", "promote", "1");
  cli("account", "set-type", "1", "economic");
});

/** Opens key account `id`'s page on `tab`. */
async function openAccount(app, id, tab) {
  await app.click('[data-nav="accounts"]');
  await app.click(`[data-card="${id}"]`);
  await app.find('[data-testid="account-detail"]');
  await app.click(`[data-tab="${tab}"]`);
}

/** The id of the contact named `name` on the People tab. */
const contactId = (app, name) =>
  app.until(`contact ${name}`, () =>
    app.script(
      `const li = [...document.querySelectorAll('[data-testid="contact"]')].find((l) => l.querySelector('strong')?.textContent === arguments[0]); return li ? li.dataset.contact : null;`,
      [name],
    ),
  );

/** Sets a textarea's or input's value as typing does (fires input). */
const fill = (app, css, value) =>
  app.script(
    `const el = document.querySelector(arguments[0]); el.value = arguments[1]; el.dispatchEvent(new Event('input', { bubbles: true }));`,
    [css, value],
  );

/** A note longer than the 60 characters the timeline keeps of it. */
const LONG_NOTE = "The buyer asked for a quote on the whole 2025 line before the board meets in March";

describe("key-account notebook", () => {
  test("dossier, people in three roles, the buying map, a visit, This week and search", async () => {
    const app = await suite.launch(data);
    try {
      await app.setWindowRect({ width: 1366, height: 768 });
      await openAccount(app, 1, "dossier");

      // The background saves as the owner types.
      await app.type('[data-bg="organisation"]', "集团下属 3 个工厂，采购部集中采购");
      await app.untilText('[data-testid="background-saved"]', "Saved");
      await app.type('[data-testid="note-text"]', "Budget freeze until May; ask again in June");
      await app.click('[data-testid="note-add"]');
      await app.until("the note", async () => (await app.texts('[data-testid="note"]')).some((t) => /Budget freeze until May/.test(t)));
      await app.type('[data-testid="note-text"]', LONG_NOTE);
      await app.click('[data-testid="note-add"]');
      await app.until("the long note", async () => (await app.texts('[data-testid="note"]')).some((t) => t.includes(LONG_NOTE)));
      await app.click('[data-testid="competitor-new"]');
      await app.type('[data-testid="competitor-name"]', "鞍钢");
      await app.click('[data-testid="competitor-save"]');
      await app.until("the competitor", async () => (await app.texts('[data-testid="competitor"]')).some((t) => /鞍钢/.test(t)));
      await app.screenshot(SHOTS, "notebook-dossier-en");

      // Three people, each role set with one click.
      await app.click('[data-tab="people"]');
      const people = [
        ["王伟", ["level:decision", "function:finance", "attitude:supporter"]],
        ["李娜", ["level:operational", "function:user", "attitude:neutral"]],
        ["赵强", ["level:management", "function:technical", "attitude:opponent"]],
      ];
      const ids = {};
      for (const [name, roles] of people) {
        await app.type('[data-testid="contact-quick-name"]', name);
        await app.click('[data-testid="contact-quick-add"]');
        const id = (ids[name] = await contactId(app, name));
        for (const role of roles) {
          await app.click(`[data-contact="${id}"] [data-role="${role}"]`);
          await app.until(`${name} ${role}`, async () => app.script(`return document.querySelector('[data-contact="${id}"] [data-role="${role}"]').classList.contains('on')`));
        }
      }
      // Three of nine cells filled: six flagged with what they weigh.
      await app.until("six gaps", async () => (await app.findAll('[data-testid="map-gap"]')).length === 6);
      assert.match(await app.text('[data-cell="decision:user"]'), /Nobody\s*Deciders want a brief answer and the outcome/);
      assert.match(await app.text('[data-cell="operational:technical"]'), /Technical staff weigh reliability/);
      assert.equal(await app.text('[data-cell="decision:finance"]'), "王伟");
      assert.ok(await app.script(`return document.querySelector('[data-cell="decision:finance"]').classList.contains('att-supporter')`));
      await app.screenshot(SHOTS, "notebook-people-en");

      // The relationship map, readable in the window (no text under 14 px),
      // exported for a meeting.
      await app.find('[data-testid="relationship-map"]');
      const mapSizes = await app.script(`
        const img = document.querySelector('[data-testid=relationship-map]');
        img.scrollIntoView({ block: 'center' });
        const svg = new DOMParser().parseFromString(decodeURIComponent(img.src.slice(img.src.indexOf(',') + 1)), 'image/svg+xml');
        const k = img.clientWidth / Number(svg.documentElement.getAttribute('width'));
        return [...svg.querySelectorAll('text')].map((t) => Number(t.getAttribute('font-size')) * k);`);
      assert.ok(mapSizes.length > 3 && mapSizes.every((px) => px >= 13.5), `text sizes on screen: ${mapSizes}`);
      await app.screenshot(SHOTS, "notebook-relmap-en");
      const mapFile = join(suite.work, "map.png");
      suite.answerDialog(mapFile);
      await app.click('[data-testid="relmap-export"]');
      await app.until("the map saved", async () => /Saved to/.test(await app.text('[data-testid="relmap-export-message"]')));
      assert.equal(readFileSync(mapFile).subarray(1, 4).toString("latin1"), "PNG");

      // 王伟's birthday is in three days.
      await app.click(`[data-contact="${ids["王伟"]}"] [data-testid="contact-open"]`);
      await app.find('[data-testid="contact-form"]');
      await app.type('[data-personal="hometown"]', "苏州");
      await app.script(
        `const el = document.querySelector('[data-testid="contact-birthday"]'); el.value = arguments[0]; el.dispatchEvent(new Event('input', { bubbles: true }));`,
        [`1980-${iso(inDays(3)).slice(5)}`],
      );
      await app.screenshot(SHOTS, "notebook-contact-en");
      await app.click('[data-testid="contact-save"]');
      await app.until("the form closes", async () => (await app.findAll('[data-testid="contact-form"]')).length === 0);

      // A visit with 王伟 and 李娜; its next step becomes an action.
      await app.click('[data-tab="touches"]');
      await app.find('[data-testid="touch-form"]');
      await app.click(`[data-touch-contact="${ids["王伟"]}"]`);
      await app.click(`[data-touch-contact="${ids["李娜"]}"]`);
      await app.type('[data-testid="touch-summary"]', "Plant tour; they want a quote for line 2");
      await app.type('[data-testid="touch-next"]', "Send the quote");
      await fill(app, '[data-testid="touch-due"]', iso(inDays(2)));
      await fill(app, '[data-testid="touch-hours"]', "3");
      await app.click('[data-testid="touch-save"]');
      await app.until("the touch", async () => (await app.texts('[data-testid="touch"]')).some((t) => /Plant tour/.test(t) && /王伟, 李娜/.test(t)));
      assert.match(await app.text('[data-testid="touch-cadence"]'), /Last touch .* next touch due .* every 14 days \(by type\)/);
      await app.screenshot(SHOTS, "notebook-touches-en");

      // Two satisfaction surveys, and the trend they make.
      await app.click('[data-tab="satisfaction"]');
      for (const [date, overall] of [[iso(inDays(-30)), 4], [iso(new Date()), 3]]) {
        await fill(app, '[data-testid="survey-form"] input[type="date"]', date);
        for (const k of ["product", "service", "delivery", "price"]) await app.click(`[data-score="${k}:4"]`);
        await app.click(`[data-score="overall:${overall}"]`);
        await app.click('[data-testid="survey-save"]');
        await app.until(`survey of ${date}`, async () => (await app.findAll('[data-testid="survey"]')).some(Boolean) && (await app.texts('[data-testid="survey"]')).length === (overall === 4 ? 1 : 2));
      }
      assert.equal(await app.script(`return document.querySelector('[data-testid="survey-trend"]').dataset.points`), "2");
      await app.untilText('[data-testid="loyalty"]', "At risk");
      assert.equal(await app.text('[data-testid="loyalty-reason"]'), "The overall score fell from 4 to 3.");
      await app.untilText('[data-testid="satisfaction-average"]', "Average across key accounts (latest overall score each): 3.0 / 5");
      await app.screenshot(SHOTS, "notebook-satisfaction-en");

      // The plan tab's timeline lists the edits.
      await app.click('[data-tab="plan"]');
      await app.until("edits in the timeline", async () => (await app.texts('[data-testid="timeline-edit"]')).some((t) => /Added touch: Plant tour/.test(t)));
      // A long note's label, kept cut by the notebook, ends with "…".
      const cut = `Added note: ${[...LONG_NOTE].slice(0, 60).join("").trimEnd()}…`;
      const edits = await app.texts('[data-testid="timeline-edit"]');
      assert.ok(edits.some((t) => t.endsWith(cut)), `the timeline shows "${cut}": ${JSON.stringify(edits)}`);
      assert.ok((await app.texts('[data-testid="action"]')).some((t) => /Send the quote/.test(t)), "the next step is an action");
      // Health, every part explained.
      await app.until("seven health parts", async () => (await app.findAll('[data-testid="health-part"]')).length === 7);
      assert.match(await app.text('[data-testid="health-score"]'), /^\d{1,3}$/);
      assert.match(await app.text('[data-testid="health-part"][data-key="coverage"]'), /A decision-level supporter is on record/);
      // Its band, in colour and word, agrees with the score, with the thresholds shown.
      const score = Number(await app.text('[data-testid="health-score"]'));
      const band = score >= 75 ? "green" : score >= 40 ? "amber" : "red";
      assert.equal(await app.script(`return document.querySelector('[data-testid="health-band"]').dataset.band`), band);
      assert.equal(await app.text('[data-testid="health-band"]'), { green: "Green", amber: "Amber", red: "Red" }[band]);
      assert.equal(await app.text('[data-testid="health-legend"]'), "green ≥ 75 · amber 40–74 · red < 40");
      await app.screenshot(SHOTS, "notebook-plan-health-en");

      // This week: the action and the birthday, one click from the account.
      await app.click('[data-nav="dashboard"]');
      await app.until("this week", async () => (await app.texts('[data-testid="due-action"]')).some((t) => /Send the quote/.test(t)));
      assert.ok((await app.texts('[data-testid="due-birthday"]')).some((t) => /王伟's birthday/.test(t)), "the birthday");
      // The risk panel names 王伟, the account's only decision-level supporter.
      await app.until("the risk panel", async () => /of your profit depends on 1 key account whose only decision-level supporter is 王伟, last touched today/.test(await app.text('[data-testid="risk-person"]')));
      await app.screenshot(SHOTS, "notebook-week-en");

      // Cost to serve: the visit's 3 hours at the owner's rate.
      await fill(app, '[data-testid="hourly-rate"]', "500");
      await app.click('[data-testid="cost-to-serve"] button[type="submit"]');
      await app.until("the cost at 500 an hour", async () => /¥1,500\.00/.test(await app.text('[data-testid="cost-row"]')));
      await app.click('[data-testid="cost-whale"] summary');
      await app.find('[data-testid="cost-whale-chart"]');

      // The holidays list is the owner's: add one, with its notice.
      await app.click('[data-testid="holidays-open"]');
      await app.find('[data-testid="holidays-dialog"] [data-holiday="mid_autumn"]');
      await app.click('[data-testid="holiday-add"]');
      await fill(app, '[data-holiday="own_1"] input[type="text"]', "Company anniversary");
      await fill(app, '[data-holiday="own_1"] [data-testid="holiday-notice"]', "21");
      await app.screenshot(SHOTS, "notebook-holidays-en");
      await app.click('[data-testid="holidays-save"]');
      await app.until("the dialog closes", async () => (await app.findAll('[data-testid="holidays-dialog"]')).length === 0);

      // Ctrl+K names a contact once, then the customer: "王伟 — 华东钢铁有限公司".
      await app.script(`window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, bubbles: true }))`);
      await app.type('[data-testid="search-input"]', "王伟");
      await app.until("a contact hit", async () => (await app.findAll('[data-testid="search-hit"][data-kind="contact"]')).length === 1);
      const contactHit = await app.text('[data-testid="search-hit"][data-kind="contact"]');
      assert.equal(contactHit.split("王伟").length - 1, 1, `the contact named once: ${contactHit}`);
      assert.match(contactHit, /王伟 — 华东钢铁有限公司/);
      await app.screenshot(SHOTS, "notebook-search-contact-en");
      await fill(app, '[data-testid="search-input"]', "");

      // Ctrl+K finds the note and opens the dossier.
      await app.type('[data-testid="search-input"]', "budget");
      await app.until("a note hit", async () => (await app.findAll('[data-testid="search-hit"][data-kind="note"]')).length === 1);
      await app.screenshot(SHOTS, "notebook-search-en");
      await app.type('[data-testid="search-input"]', "\uE007");
      await app.until("the dossier", async () => (await app.texts('[data-testid="note"]')).some((t) => /Budget freeze/.test(t)));

      // The contacts of every key account, exported for a spreadsheet.
      await app.click('[data-nav="accounts"]');
      const contactsFile = join(suite.work, "contacts.csv");
      suite.answerDialog(contactsFile);
      await app.click('[data-testid="export-contacts"]');
      await app.until("contacts exported", async () => /Saved to/.test(await app.text('[data-testid="export-contacts-message"]')));
      const csv = readFileSync(contactsFile, "utf8");
      assert.ok(csv.startsWith("\uFEFF"), "UTF-8 with BOM");
      assert.equal(csv.trim().split("\n").length, 4, "a header and three contacts");
      assert.match(csv, /王伟,总经理|王伟,,/);
      assert.match(csv, /李娜.*Operational.*User dept\..*Neutral/);

      // Remove the note, then undo.
      await openAccount(app, 1, "dossier");
      const notes = (await app.findAll('[data-testid="note"]')).length;
      await app.click('[data-testid="note"] button');
      await app.find('[data-testid="removed-notice"]');
      assert.equal((await app.findAll('[data-testid="note"]')).length, notes - 1);
      await app.click('[data-testid="undo-remove"]');
      await app.until("the note back", async () => (await app.findAll('[data-testid="note"]')).length === notes);
    } finally {
      await app.quit();
    }
    // Everything was saved in the store.
    const nb = JSON.parse(cli("notebook", "1", "--json"));
    assert.equal(nb.contacts.length, 3);
    assert.equal(nb.dossier.background.organisation, "集团下属 3 个工厂，采购部集中采购");
    assert.equal(nb.contacts.find((c) => c.name === "王伟").personal.hometown, "苏州");
    assert.equal(nb.touches[0].hours, 3);
    assert.deepEqual(JSON.parse(cli("surveys", "1", "--json")).map((v) => v.overall), [4, 3]);
    const year = new Date().getFullYear();
    assert.ok(JSON.parse(cli("holidays", "--year", String(year), "--json")).some((h) => h.key === "own_1" && h.name === "Company anniversary"));
  });

  test("the notebook in 中文, and a decision maker who leaves", async () => {
    cli("account", "move", "1", "--phase", "stabilize");
    const app = await suite.launch(data);
    try {
      await app.click('[data-lang="zh-CN"]');
      await openAccount(app, 1, "people");
      await app.until("the map in Chinese", async () => /决策层/.test(await app.text('[data-testid="buying-map"]')));
      assert.match(await app.text('[data-cell="decision:user"]'), /无人\s*决策层要简明的答案和结果/);
      assert.match(await app.text(`[data-contact="${await contactId(app, "李娜")}"]`), /李娜.*操作层/s);
      await app.screenshot(SHOTS, "notebook-people-zh");

      await app.click('[data-tab="touches"]');
      assert.match(await app.text('[data-testid="touch-cadence"]'), /每 14 天（按类型）/);
      await app.screenshot(SHOTS, "notebook-touches-zh");
      await app.click('[data-tab="plan"]');
      await app.until("the band in Chinese", async () => /^(绿色|黄色|红色)$/.test(await app.text('[data-testid="health-band"]')));
      assert.equal(await app.text('[data-testid="health-legend"]'), "绿色 ≥ 75 · 黄色 40–74 · 红色 < 40");
      await app.screenshot(SHOTS, "notebook-plan-health-zh");
      await app.click('[data-nav="dashboard"]');
      await app.until("本周", async () => (await app.texts('[data-testid="due-birthday"]')).some((t) => /王伟 生日/.test(t)));
      await app.screenshot(SHOTS, "notebook-week-zh");

      // 王伟 (decision level) leaves: the fallback to establish is offered,
      // with their personnel change as the reason.
      await openAccount(app, 1, "people");
      await app.click(`[data-contact="${await contactId(app, "王伟")}"] [data-testid="contact-open"]`);
      await fill(app, '[data-testid="contact-left-on"]', iso(new Date()));
      await app.click('[data-testid="contact-save"]');
      await app.find('[data-testid="move-dialog"]');
      assert.ok(await app.script(`return document.querySelector('[data-reason="their_personnel"]').checked`), "reason preset");
      await app.screenshot(SHOTS, "notebook-left-fallback-zh");
      await app.click('[data-testid="move-confirm"]');
      await app.untilText('[data-testid="account-phase"]', "建立关系");
      await app.click('[data-lang="en"]');
    } finally {
      await app.quit();
    }
  });
});
