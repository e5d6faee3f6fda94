// End-to-end: two windows on two data folders and one team folder. In the
// first, File ▸ Team… creates the team; in the second, File ▸ Team… joins
// it; a touch logged in the second reaches the first after a sync, with
// its author; This week's "Mine only" and the sidebar's status follow.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { BIN, e2eSuite, ROOT, SHOTS } from "./webdriver.mjs";
import { FILE_MENU, fileMenu, useWindow, windowIds } from "./xwindow.mjs";

// One tauri-driver per window: two apps at once.
const first = e2eSuite("team-a");
const second = e2eSuite("team-b");
const dataA = join(first.work, "data");
const dataB = join(second.work, "data");
const folder = join(first.work, "team-folder");
const PASSPHRASE = "春风十里不如你呀";

/** The CLI on a store no window holds. */
const cli = (data, ...args) => {
  const r = spawnSync(BIN, ["--data-dir", data, ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

/** Sets an input's value as typing does. */
const fill = (app, css, value) =>
  app.script(`const el = document.querySelector(arguments[0]); el.value = arguments[1]; el.dispatchEvent(new Event('input', { bubbles: true }));`, [css, value]);

async function openTouches(app) {
  await app.click('[data-nav="accounts"]');
  await app.click('[data-card="1"]');
  await app.find('[data-testid="account-detail"]');
  await app.click('[data-tab="touches"]');
}

describe("a team in two windows", () => {
  test("create, join, a touch logged in one window shows in the other with its author", async () => {
    for (const data of [dataA, dataB]) {
      cli(data, "import", join(ROOT, "tests/fixtures/ledger_gbk.csv"));
    }
    cli(dataA, "account", "promote", "1");
    cli(dataA, "contact", "add", "1", "--name", "王伟", "--level", "decision", "--function", "finance", "--attitude", "supporter");

    const a = await first.launch(dataA);
    let b = null;
    try {
      await a.resize(1366, 768);
      // File ▸ Team… in the first window: create the team.
      fileMenu(FILE_MENU.team);
      await a.find('[data-testid="team-dialog"]');
      await fill(a, '[data-testid="team-folder"]', folder);
      await fill(a, '[data-testid="team-name"]', "华东销售部");
      await fill(a, '[data-testid="team-member"]', "王伟");
      await fill(a, '[data-testid="team-passphrase"]', PASSPHRASE);
      await fill(a, '[data-testid="team-passphrase-again"]', "not the same");
      await a.click('[data-testid="team-submit"]');
      await a.untilText('[data-testid="team-problem"]', "The two passphrases differ.");
      await fill(a, '[data-testid="team-passphrase-again"]', PASSPHRASE);
      await a.click('[data-testid="team-submit"]');
      await a.untilText('[data-testid="team-you"]', "王伟", 30_000);
      assert.ok(readdirSync(folder).includes("team.json"));
      await a.screenshot(SHOTS, "team-created");
      await a.click('[data-testid="team-close"]');
      await a.until("the team in the sidebar", async () => (await a.text('[data-testid="team-chip"]')).includes("Team 华东销售部"));

      const before = windowIds();
      b = await second.launch(dataB);
      useWindow(windowIds().find((id) => !before.includes(id)));
      {
        // File ▸ Team… in the second window: a wrong passphrase, then join.
        fileMenu(FILE_MENU.team);
        await b.find('[data-testid="team-dialog"]');
        await b.click('[data-testid="team-mode-join"]');
        await fill(b, '[data-testid="team-folder"]', folder);
        await fill(b, '[data-testid="team-member"]', "李娜");
        await fill(b, '[data-testid="team-passphrase"]', "wrong passphrase");
        await b.click('[data-testid="team-submit"]');
        await b.until("the refusal", async () => /wrong passphrase/.test(await b.text('[data-testid="team-problem"]')), 30_000);
        await fill(b, '[data-testid="team-passphrase"]', PASSPHRASE);
        await b.click('[data-testid="team-submit"]');
        await b.untilText('[data-testid="team-you"]', "李娜", 30_000);
        const members = await b.texts('[data-testid="team-member-row"]');
        assert.ok(members.some((m) => m.startsWith("王伟")), members.join(" | "));
        await b.click('[data-testid="team-close"]');

        // The shared account is on the second PC; a touch logged there.
        await openTouches(b);
        await b.type('[data-testid="touch-summary"]', "Plant tour with 王伟");
        await b.click('[data-testid="touch-save"]');
        await b.until("the touch", async () => (await b.texts('[data-testid="touch"]')).some((t) => /Plant tour/.test(t)));
        assert.match((await b.texts('[data-testid="touch"]')).join(" | "), /by 李娜/);
        await b.click('[data-testid="team-chip"]');
        await b.click('[data-testid="team-sync"]');
        await b.untilText('[data-testid="team-done"]', "Synced.", 30_000);
        await b.click('[data-testid="team-close"]');
      }
      // The second app stays open (ending its session while the first runs
      // takes the first one's page down with it under tauri-driver).
      useWindow(null);

      // The first window syncs and shows the touch with its author.
      await a.click('[data-testid="team-chip"]');
      await a.click('[data-testid="team-sync"]');
      await a.untilText('[data-testid="team-done"]', "Synced.", 30_000);
      const rows = await a.texts('[data-testid="team-member-row"]');
      assert.ok(rows.some((r) => r.startsWith("李娜")), rows.join(" | "));
      await a.click('[data-testid="team-close"]');
      await openTouches(a);
      await a.until("the touch from 李娜", async () => (await a.texts('[data-testid="touch"]')).some((t) => /Plant tour with 王伟/.test(t) && /by 李娜/.test(t)), 20_000);
      await a.screenshot(SHOTS, "team-touch-by-other");

      // The same in 中文, and This week's "Mine only".
      await a.click('[data-lang="zh-CN"]');
      await a.until("中文", async () => /李娜 记录/.test((await a.texts('[data-testid="touch"]')).join(" ")));
      await a.click('[data-nav="dashboard"]');
      await a.find('[data-testid="week-mine"]');
      await a.screenshot(SHOTS, "team-dashboard-zh");
      await a.click('[data-testid="team-chip"]');
      await a.find('[data-testid="team-members"]');
      await a.screenshot(SHOTS, "team-dialog-zh");
      await a.click('[data-testid="team-close"]');
      await a.click('[data-lang="en"]');
    } finally {
      useWindow(null);
      await a.quit().catch(() => {});
      await b?.quit().catch(() => {});
    }
  });

  test("a field two members set apart shows both values with who set each", async () => {
    // Two PCs set the account's type while apart (through the CLI), then sync.
    const [c, d] = [join(first.work, "c"), join(first.work, "d")];
    const shared = join(first.work, "team-cd");
    const env = { ...process.env, VITALFEW_TEAM_PASSPHRASE: PASSPHRASE };
    const run = (data, ...args) => {
      const r = spawnSync(BIN, ["--data-dir", data, ...args], { encoding: "utf8", env });
      assert.equal(r.status, 0, r.stderr);
    };
    for (const data of [c, d]) run(data, "import", join(ROOT, "tests/fixtures/ledger_gbk.csv"));
    run(c, "account", "promote", "1");
    run(c, "team", "create", "--name", "t", "--folder", shared, "--member", "王伟");
    run(d, "team", "join", "--folder", shared, "--member", "李娜");
    run(c, "account", "set-type", "1", "economic");
    run(d, "account", "set-type", "1", "strategic");
    for (const data of [d, c]) run(data, "team", "sync");

    const app = await first.launch(c);
    try {
      await app.resize(1366, 768);
      await app.click('[data-nav="accounts"]');
      await app.click('[data-card="1"]');
      const text = await app.until("the conflict", async () => (await app.texts('[data-testid="conflict"]')).join(" "));
      assert.match(text, /Type/);
      assert.match(text, /Economic|Strategic/);
      assert.match(text, /王伟/);
      assert.match(text, /李娜/);
      await app.screenshot(SHOTS, "team-conflict");
    } finally {
      await app.quit();
    }
  });
});
