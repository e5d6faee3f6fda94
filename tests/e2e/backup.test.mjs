// End-to-end: File ▸ Back up… and File ▸ Restore… through the native menu,
// and the recovery screen a damaged store opens on, in the real webview.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { e2eSuite, ROOT, SHOTS } from "./webdriver.mjs";
import { FILE_MENU, fileMenu, HELP_MENU, helpMenu, key } from "./xwindow.mjs";

const FIXTURES = join(ROOT, "tests/fixtures");
const en = JSON.parse(readFileSync(join(ROOT, "ui/src/locales/en.json"), "utf8"));
const zh = JSON.parse(readFileSync(join(ROOT, "ui/src/locales/zh-CN.json"), "utf8"));
const suite = e2eSuite("backup");
const { work, answerDialog } = suite;

async function importFile(app, name) {
  await app.click('[data-nav="import"]');
  answerDialog(join(FIXTURES, name));
  await app.click('[data-testid="import-choose"]');
  await app.untilText('[data-testid="import-file"]', name);
  await app.click('[data-testid="import-commit"]');
  await app.until("the import message", async () => (await app.text('[data-testid="import-message"] span')).startsWith(`Imported ${name}`));
}

const footer = (app) => app.text('[data-testid="store-info"] div');

const manifestState = (data) => {
  try {
    return JSON.parse(readFileSync(join(data, "store.manifest"), "utf8")).state;
  } catch {
    return null;
  }
};

/** File ▸ Quit (Ctrl+Q): the app closes its store and exits. */
async function quitCleanly(app, data) {
  assert.equal(manifestState(data), "open", "a session in progress");
  key("ctrl+q");
  await app.until("the store closed", async () => manifestState(data) === "closed");
}

describe("backups in the window", () => {
  test("back up through the menu, restore from the list, and recover a damaged store", async () => {
    const data = join(work, "data");
    let app = await suite.launch(data);
    try {
      await app.untilText('[data-testid="page-title"]', en["dashboard.title"]);
      await importFile(app, "ledger_gbk.csv");
      await app.until("the first import in the footer", async () => (await footer(app)).startsWith("4 customers · 6 sales lines"));

      // File ▸ Back up… writes where the owner chooses.
      const saved = join(work, "mine.vfbackup");
      answerDialog(saved);
      fileMenu(FILE_MENU.backUp);
      await app.until("the saved notice", async () => (await app.text('[data-testid="notice"] span')).startsWith(`Backup saved: ${saved}`));
      assert.ok(existsSync(saved));

      // A second import (backed up automatically before it), then restore the state before it.
      await importFile(app, "ledger_dayfirst.csv");
      await app.until("the second import in the footer", async () => !(await footer(app)).startsWith("4 customers · 6 sales lines"));
      fileMenu(FILE_MENU.restore);
      await app.find('[data-testid="restore-dialog"]');
      await app.until("the backups", async () => (await app.findAll('[data-testid="backup-row"]')).length >= 2);
      const rows = await app.texts('[data-testid="backup-row"]');
      const place = rows.findIndex((r) => r.includes("Before importing ledger_dayfirst.csv"));
      assert.ok(place >= 0, rows.join(" | "));
      assert.match(rows[place], /4 customers · 6 sales lines · 0 key accounts/);
      await app.screenshot(SHOTS, "restore-dialog");
      await app.script(`document.querySelectorAll('[data-testid=backup-restore]')[${place}].click()`);
      await app.find('[data-testid="restore-confirm"]');
      await app.click('[data-testid="restore-go"]');
      await app.until("the restored notice", async () => (await app.text('[data-testid="notice"] span')).startsWith("Restored the backup of"));
      await app.until("the restored data", async () => (await footer(app)).startsWith("4 customers · 6 sales lines"));
      assert.equal((await app.findAll('[data-testid="restore-dialog"]')).length, 0);

      // Restore again, from the file saved earlier, through "Choose a file…".
      await importFile(app, "ledger_dayfirst.csv");
      fileMenu(FILE_MENU.restore);
      await app.find('[data-testid="restore-dialog"]');
      answerDialog(saved);
      await app.click('[data-testid="restore-choose"]');
      await app.until("the confirmation naming the file", async () => (await app.text('[data-testid="restore-confirm"] p')).includes("mine.vfbackup"));
      await app.click('[data-testid="restore-go"]');
      await app.until("the data of the saved backup", async () => (await footer(app)).startsWith("4 customers · 6 sales lines"));
      // Quit as the owner does: the store is closed cleanly, and the
      // manifest beside it records every file of it.
      await quitCleanly(app, data);
    } finally {
      await app.quit().catch(() => {}); // the app has quit already
    }

    // The store's db is damaged while the app is closed (4 KB in its middle
    // overwritten, as a failing disk or a half-synced folder does): the
    // window opens on the recovery screen without sled ever opening the
    // folder — every byte stays as found — and restoring the newest good
    // backup brings the data back.
    const db = join(data, "store", "db");
    const middle = Math.floor(statSync(db).size / 2);
    const fd = openSync(db, "r+");
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, middle);
    closeSync(fd);
    const damaged = readFileSync(db);
    app = await suite.launch(data);
    try {
      await app.find('[data-testid="recovery"]');
      assert.match(await app.text('[data-testid="recovery"] h2'), new RegExp(en["recovery.title"]));
      assert.match(await app.text('[data-testid="recovery-reason"]'), /its file db was changed after Vital Few closed it/);
      assert.ok(readFileSync(db).equals(damaged), "the damaged db is left exactly as it was found");
      assert.ok((await app.findAll('[data-testid="backup-restore"]')).length >= 1);
      await app.screenshot(SHOTS, "recovery-screen");
      await app.click('[data-testid="backup-restore"]');
      await app.click('[data-testid="restore-go"]');
      await app.until("the dashboard again", async () => (await app.findAll('[data-testid="recovery"]')).length === 0);
      await app.until("the data again", async () => /^\d+ customers/.test(await footer(app)));
      const aside = readdirSync(data).filter((n) => n.startsWith("store.damaged-"));
      assert.equal(aside.length, 1, "the damaged store is kept aside");
      assert.ok(readFileSync(join(data, aside[0], "db")).equals(damaged), "as it was found");
      await app.screenshot(SHOTS, "recovered");
    } finally {
      await app.quit();
    }

    // The store folder is gone while the backups are there: not a new empty
    // store, but the recovery screen; starting with no data is the owner's
    // choice, and keeps the backups.
    rmSync(join(data, "store"), { recursive: true });
    app = await suite.launch(data);
    try {
      await app.find('[data-testid="recovery"]');
      assert.match(await app.text('[data-testid="recovery"] h2'), new RegExp(en["recovery.missing_title"]));
      assert.ok(!existsSync(join(data, "store")), "no store was created");
      await app.screenshot(SHOTS, "recovery-missing-store");
      await app.click('[data-testid="start-empty"]');
      await app.click('[data-testid="start-empty-go"]');
      await app.until("an empty store", async () => (await app.findAll('[data-testid="recovery"]')).length === 0);
      await app.until("no data", async () => (await footer(app)).startsWith("0 customers"));
      fileMenu(FILE_MENU.restore);
      await app.find('[data-testid="restore-dialog"]');
      await app.until("the backups are still there", async () => (await app.findAll('[data-testid="backup-row"]')).length >= 2);
    } finally {
      await app.quit();
    }
  });

  test("Help ▸ Check the data reads every record back, in 中文 at 1366×768", async () => {
    const app = await suite.launch(join(work, "check"));
    try {
      await app.resize(1366, 768);
      await importFile(app, "ledger_gbk.csv");
      await app.click('[data-lang="zh-CN"]');
      await app.untilText('[data-testid="page-title"]', zh["import.title"]);
      helpMenu(HELP_MENU.check);
      await app.find('[data-testid="check-dialog"]');
      await app.untilText('[data-testid="check-ok"]', zh["check.ok"]);
      assert.equal(await app.text('[data-testid="check-sales-lines"]'), "6");
      assert.ok((await app.text('[data-testid="check-dialog"]')).includes(zh["check.opened.matched"]));
      await app.screenshot(SHOTS, "check-zh-1366");
      await app.click('[data-testid="check-close"]');
      await app.until("the dialog closed", async () => (await app.findAll('[data-testid="check-dialog"]')).length === 0);
    } finally {
      await app.quit();
    }
  });
});
