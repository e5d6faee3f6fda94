// End-to-end: File ▸ Back up… and File ▸ Restore… through the native menu,
// and the recovery screen a damaged store opens on, in the real webview.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { e2eSuite, ROOT, SHOTS } from "./webdriver.mjs";
import { FILE_MENU, fileMenu } from "./xwindow.mjs";

const FIXTURES = join(ROOT, "tests/fixtures");
const en = JSON.parse(readFileSync(join(ROOT, "ui/src/locales/en.json"), "utf8"));
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
    } finally {
      await app.quit();
    }

    // The store is damaged while the app is closed: the window opens on the
    // recovery screen, and restoring the newest good backup brings the data back.
    truncateSync(join(data, "store", "db"), 1000);
    app = await suite.launch(data);
    try {
      await app.find('[data-testid="recovery"]');
      assert.match(await app.text('[data-testid="recovery"] h2'), new RegExp(en["recovery.title"]));
      assert.ok((await app.findAll('[data-testid="backup-row"]')).length >= 1);
      await app.screenshot(SHOTS, "recovery-screen");
      await app.click('[data-testid="backup-restore"]');
      await app.click('[data-testid="restore-go"]');
      await app.until("the dashboard again", async () => (await app.findAll('[data-testid="recovery"]')).length === 0);
      await app.until("the data again", async () => /^\d+ customers/.test(await footer(app)));
      assert.equal(readdirSync(data).filter((n) => n.startsWith("store.damaged-")).length, 1, "the damaged store is kept aside");
      await app.screenshot(SHOTS, "recovered");
    } finally {
      await app.quit();
    }
  });
});
