// End-to-end: the real binary in the real webview (tauri-driver +
// WebKitWebDriver). Run under Xvfb and a D-Bus session, e.g.
//   xvfb-run -a dbus-run-session -- node --test tests/e2e/
// Every launch uses a fresh temporary data directory, never the user's.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, e2eSuite, ROOT, SHOTS } from "./webdriver.mjs";
import { key, windowId, windowName } from "./xwindow.mjs";

const catalog = (lang) => JSON.parse(readFileSync(join(ROOT, `ui/src/locales/${lang}.json`), "utf8"));
const en = catalog("en");
const zh = catalog("zh-CN");

const PAGES = [
  ["dashboard", "dashboard"],
  ["customers", "customers"],
  ["accounts", "accounts"],
  ["import", "import"],
];

const suite = e2eSuite("shell");
const dataDir = join(suite.work, "data");
const launch = () => suite.launch(dataDir);

async function expectLanguage(app, cat) {
  for (const [nav] of PAGES) {
    await app.untilText(`[data-nav="${nav}"]`, cat[`nav.${nav === "accounts" ? "accounts" : nav}`]);
  }
}

async function waitFor(what, check, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("the app shell", () => {
  test("every section shows its title and an empty state that says what to do first", async () => {
    const app = await launch();
    try {
      await app.untilText('[data-testid="page-title"]', en["dashboard.title"]);
      for (const [nav, key] of PAGES) {
        await app.click(`[data-nav="${nav}"]`);
        await app.untilText('[data-testid="page-title"]', en[`${key}.title`]);
        assert.equal(await app.text('[data-testid="empty-title"]'), en[`${key}.empty.title`]);
        assert.equal(await app.text('[data-testid="empty-body"]'), en[`${key}.empty.body`]);
        await app.screenshot(SHOTS, `shell-en-${nav}`);
      }
      // The empty state's button leads to the Import page.
      await app.click('[data-nav="customers"]');
      await app.click('[data-testid="go-import"]');
      await app.untilText('[data-testid="page-title"]', en["import.title"]);
      assert.equal(await app.text('[data-testid="import-formats"]'), en["import.formats"]);
      // The footer reports the temporary store, not the user's.
      const info = await app.script("return document.querySelector('[data-testid=store-info]').textContent");
      assert.ok(info.includes(dataDir), info);
    } finally {
      await app.quit();
    }
  });

  test("switching to 中文 applies at once, is remembered, and switches back", async () => {
    let app = await launch();
    try {
      await expectLanguage(app, en);
      await app.click('[data-lang="zh-CN"]');
      await expectLanguage(app, zh);
      for (const [nav, key] of PAGES) {
        await app.click(`[data-nav="${nav}"]`);
        await app.untilText('[data-testid="page-title"]', zh[`${key}.title`]);
        assert.equal(await app.text('[data-testid="empty-title"]'), zh[`${key}.empty.title`]);
        await app.screenshot(SHOTS, `shell-zh-${nav}`);
      }
      assert.equal(await app.script("return document.documentElement.lang"), "zh-CN");
      // The native side follows: window title, and the rebuilt menu's shortcuts.
      assert.equal(windowName(), zh["app.name"]);
      await app.click('[data-nav="dashboard"]');
      key("ctrl+o");
      await app.untilText('[data-testid="page-title"]', zh["import.title"]);
    } finally {
      await app.quit();
    }

    app = await launch();
    try {
      await expectLanguage(app, zh); // remembered across restarts
      await app.click('[data-lang="en"]');
      await expectLanguage(app, en);
      await waitFor("the English window title", () => windowName() === en["app.name"]);
    } finally {
      await app.quit();
    }
  });

  test("File menu shortcuts: Ctrl+O opens Import, Ctrl+E explains there is no chart yet", async () => {
    const app = await launch();
    try {
      await app.untilText('[data-testid="page-title"]', en["dashboard.title"]);
      key("ctrl+o");
      await app.untilText('[data-testid="page-title"]', en["import.title"]);
      key("ctrl+e");
      await app.untilText('[data-testid="notice"] span', en["notice.no_chart"]);
      await app.screenshot(SHOTS, "menu-export-notice");
    } finally {
      await app.quit();
    }
  });

  test("File ▸ Quit (Ctrl+Q) closes the app cleanly", async () => {
    const child = spawn(BIN, ["--data-dir", dataDir], { stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await waitFor("the window", () => windowId() !== null);
      await new Promise((r) => setTimeout(r, 1000)); // let the webview settle
      key("ctrl+q");
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), 15000))]);
      assert.equal(code, 0);
      // The store was closed cleanly: its manifest records every file.
      const manifest = JSON.parse(readFileSync(join(dataDir, "store.manifest"), "utf8"));
      assert.equal(manifest.state, "closed");
      assert.ok(manifest.files.some((f) => f.path === "db"), JSON.stringify(manifest));
      await new Promise((r) => setTimeout(r, 500)); // let it leave the session bus
    } finally {
      child.kill();
    }
  });

  test("the window size is remembered", async () => {
    let app = await launch();
    try {
      await app.untilText('[data-testid="page-title"]', en["dashboard.title"]);
      await app.setWindowRect({ width: 1000, height: 700 });
      await app.until("the resize", async () => (await app.windowRect()).width === 1000);
      await new Promise((r) => setTimeout(r, 1500)); // saved once the window is still
    } finally {
      await app.quit();
    }
    app = await launch();
    try {
      await app.untilText('[data-testid="page-title"]', en["dashboard.title"]);
      const rect = await app.windowRect();
      assert.equal(rect.width, 1000);
      assert.equal(rect.height, 700);
    } finally {
      await app.quit();
    }
  });

  test("a second launch hands over to the running window; the CLI says the store is in use", async () => {
    const app = await launch();
    try {
      await app.untilText('[data-testid="page-title"]', en["dashboard.title"]);

      const second = spawn(BIN, ["--data-dir", dataDir], { stdio: "ignore" });
      const code = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          second.kill();
          reject(new Error("the second launch did not hand over and exit"));
        }, 20000);
        second.once("exit", (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      assert.equal(code, 0);
      // The first window is still there and working.
      await app.click('[data-nav="customers"]');
      await app.untilText('[data-testid="page-title"]', en["customers.title"]);

      const cli = spawnSync(BIN, ["--data-dir", dataDir, "info"], { encoding: "utf8", timeout: 20000 });
      assert.equal(cli.status, 1);
      assert.equal(cli.stdout, "");
      const lines = cli.stderr.trim().split("\n");
      assert.equal(lines.length, 1, cli.stderr);
      assert.match(lines[0], /in use by another Vital Few window or command/);
      assert.doesNotMatch(cli.stderr, /panic/);
    } finally {
      await app.quit();
    }
  });
});
