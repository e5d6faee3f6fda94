// End-to-end: "Open with Vital Few". The app started with a file (what the
// desktop entry runs: `vitalfew FILE`) opens that file's import preview; a
// second launch with a file, while the window is open on the same data,
// hands the file to that window and exits; a path that cannot be imported
// gets a clear message in the window, not a preview.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, e2eSuite, ROOT, SHOTS } from "./webdriver.mjs";

const FIXTURES = join(ROOT, "tests/fixtures");
const en = JSON.parse(readFileSync(join(ROOT, "ui/src/locales/en.json"), "utf8"));
const fill = (text, params) => text.replace(/\{(\w+)\}/g, (_, k) => params[k]);

const suite = e2eSuite("open");

/** Runs `vitalfew ARGS` from the folder `cwd` (a second launch); resolves to its exit code. */
function secondLaunch(args, cwd) {
  const child = spawn(BIN, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error("the second launch did not hand over and exit"));
    }, 20000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe("Open with Vital Few", () => {
  test("a file named at the start is previewed; a second launch's file goes to the running window", async () => {
    const data = join(suite.work, "data");
    const app = await suite.tauriDriver.driver.launch(BIN, ["--data-dir", data, join(FIXTURES, "ledger_gbk.csv")]);
    try {
      // Named before the window existed: waiting for the UI, not lost.
      await app.untilText('[data-testid="page-title"]', en["import.title"]);
      await app.untilText('[data-testid="import-file"]', "ledger_gbk.csv");
      assert.equal(await app.text('[data-testid="fig-customers"]'), "4");
      assert.equal(await app.text('[data-testid="fig-lines"]'), "6");
      await app.screenshot(SHOTS, "open-at-start");

      // The window is elsewhere; a second launch names a workbook by a
      // path relative to its own folder.
      await app.click('[data-nav="dashboard"]');
      await app.untilText('[data-testid="page-title"]', en["dashboard.title"]);
      const second = await secondLaunch(["--data-dir", data, "ledger_title.xlsx"], FIXTURES);
      assert.equal(second.code, 0, second.stderr);
      await app.untilText('[data-testid="page-title"]', en["import.title"]);
      await app.untilText('[data-testid="import-file"]', "ledger_title.xlsx", 20000);
      assert.equal(await app.text('[data-testid="fig-rows"]'), "7");
      await app.screenshot(SHOTS, "open-second-launch");

      // The previewed file can be imported as any other.
      await app.click('[data-testid="import-commit"]');
      await app.until("the import message", async () => (await app.text('[data-testid="import-message"] span')).startsWith("Imported ledger_title.xlsx"));

      // Paths that cannot be imported: a message, no preview.
      const missing = join(suite.work, "gone.csv");
      assert.equal((await secondLaunch(["--data-dir", data, missing], suite.work)).code, 0);
      await app.untilText('[data-testid="notice"] span', fill(en["open.missing"], { file: "gone.csv", path: missing }));
      await app.screenshot(SHOTS, "open-missing");

      const pdf = join(suite.work, "report.pdf");
      writeFileSync(pdf, "%PDF-1.4\n");
      assert.equal((await secondLaunch(["--data-dir", data, pdf], suite.work)).code, 0);
      await app.untilText('[data-testid="notice"] span', fill(en["open.unsupported"], { file: "report.pdf", path: pdf }));

      const folder = join(suite.work, "exports.csv");
      mkdirSync(folder);
      assert.equal((await secondLaunch(["--data-dir", data, folder], suite.work)).code, 0);
      await app.untilText('[data-testid="notice"] span', fill(en["open.not_a_file"], { file: "exports.csv", path: folder }));
      assert.equal((await app.findAll('[data-testid="import-preview"]')).length, 0, "no preview for a refused path");

      // The same file twice is read twice (a new preview each time).
      assert.equal((await secondLaunch(["--data-dir", data, join(FIXTURES, "ledger_gbk.csv")], "/")).code, 0);
      await app.untilText('[data-testid="import-file"]', "ledger_gbk.csv", 20000);
      await app.untilText('[data-testid="fig-lines-detail"]', "0 new · 6 already stored");
    } finally {
      await app.quit();
    }
  });
});
