// A small W3C WebDriver client over fetch, plus helpers to run tauri-driver
// and the app. No npm dependencies: the end-to-end tests run with plain node.
import { after, before } from "node:test";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = process.env.VITALFEW_BIN ?? join(ROOT, "target/debug/vitalfew");
export const SHOTS = join(ROOT, "target/e2e-shots");

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Driver {
  constructor(port) {
    this.base = `http://127.0.0.1:${port}`;
  }

  async request(method, path, body) {
    const res = await fetch(this.base + path, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      // An app that fails to start must fail the test, not hang it.
      signal: AbortSignal.timeout(180_000),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) {
      const v = json.value ?? {};
      throw new Error(`${method} ${path}: ${res.status} ${v.error ?? ""} ${v.message ?? ""}`);
    }
    return json.value;
  }

  async waitReady(timeoutMs = 15000) {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      try {
        await this.request("GET", "/status");
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error(`tauri-driver did not answer on ${this.base}`);
  }

  /** Starts the app; resolves to a Session once the window is up. */
  async launch(application, args) {
    const value = await this.request("POST", "/session", {
      capabilities: { alwaysMatch: { "tauri:options": { application, args } } },
    });
    const session = new Session(this, value.sessionId);
    session.application = application;
    return session;
  }
}

export class Session {
  constructor(driver, id) {
    this.driver = driver;
    this.id = id;
  }

  cmd(method, path, body) {
    return this.driver.request(method, `/session/${this.id}${path}`, body);
  }

  /** The first element matching `css`, waiting up to 10 s for it to appear
   * (a page may still be rendering, especially on a busy machine). */
  async find(css, timeoutMs = 10000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      try {
        const v = await this.cmd("POST", "/element", { using: "css selector", value: css });
        return v[ELEMENT];
      } catch (e) {
        if (!/no such element/.test(e.message) || Date.now() >= end) throw e;
        await sleep(100);
      }
    }
  }

  async findAll(css) {
    const v = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return v.map((e) => e[ELEMENT]);
  }

  async text(css) {
    return (await this.cmd("GET", `/element/${await this.find(css)}/text`)).trim();
  }

  async texts(css) {
    const ids = await this.findAll(css);
    return Promise.all(ids.map(async (id) => (await this.cmd("GET", `/element/${id}/text`)).trim()));
  }

  async click(css) {
    await this.cmd("POST", `/element/${await this.find(css)}/click`, {});
  }

  /** Picks `value` in the <select> with this data-testid, as a user's choice does. */
  select(testid, value) {
    return this.script(
      `const s = document.querySelector('[data-testid=${testid}]'); s.value = arguments[0]; s.dispatchEvent(new Event('change', { bubbles: true }));`,
      [value],
    );
  }

  /** Types `text` into the element, as keystrokes. */
  async type(css, text) {
    await this.cmd("POST", `/element/${await this.find(css)}/value`, { text });
  }

  script(body, args = []) {
    return this.cmd("POST", "/execute/sync", { script: body, args });
  }

  /** Polls `check` until it returns a truthy value; the error names `what`. */
  async until(what, check, timeoutMs = 10000) {
    const end = Date.now() + timeoutMs;
    let last;
    while (Date.now() < end) {
      try {
        const v = await check();
        if (v) return v;
      } catch (e) {
        last = e;
      }
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ""}`);
  }

  /** Waits until the element's text equals `expected`. */
  async untilText(css, expected, timeoutMs) {
    let seen;
    try {
      await this.until(`${css} = ${JSON.stringify(expected)}`, async () => (seen = await this.text(css)) === expected, timeoutMs);
    } catch (e) {
      throw new Error(`${e.message} (saw ${JSON.stringify(seen)})`);
    }
  }

  async screenshot(dir, name) {
    mkdirSync(dir, { recursive: true });
    // The window paints a moment after the DOM changes: a picture taken at
    // once can show the state before the last step.
    await sleep(250);
    const png = await this.cmd("GET", "/screenshot");
    writeFileSync(join(dir, `${name}.png`), Buffer.from(png, "base64"));
  }

  windowRect() {
    return this.cmd("GET", "/window/rect");
  }

  setWindowRect(rect) {
    return this.cmd("POST", "/window/rect", rect);
  }
  /** Sets the window's outer size and waits until the page has it (and a
   * moment for the layout to settle). */
  async resize(width, height) {
    await this.setWindowRect({ width, height });
    await this.until(`a ${width}×${height} window`, async () => {
      const r = await this.windowRect();
      return r.width === width && r.height === height;
    });
    await new Promise((r) => setTimeout(r, 500));
  }


  /** Whether the UI has rendered into the page (any screen) within `ms`. */
  async rendered(ms) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const count = await this.script("return document.getElementById('app')?.childElementCount ?? 0").catch(() => 0);
      if (count > 0) return true;
      await sleep(200);
    }
    return false;
  }

  /** Ends the session and waits until the app process has exited, so the
   * next launch does not meet the old instance still leaving. */
  async quit() {
    const pids = () =>
      spawnSync("pgrep", ["-f", `${this.application}( |$)`], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
    const before = new Set(pids());
    await this.driver.request("DELETE", `/session/${this.id}`);
    const end = Date.now() + 30_000;
    while (Date.now() < end && pids().some((p) => before.has(p))) await sleep(100);
    // A busy machine can be slow to let go; never let a leftover instance
    // take the next launch's place.
    for (const pid of pids().filter((p) => before.has(p))) spawnSync("kill", ["-9", pid]);
    await sleep(300);
  }
}

/** A TCP port that is free right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Runs tauri-driver on free ports until `stop()`. `env` is added to the
 * environment of the apps it launches. Free ports, not fixed ones: another
 * test run on the same machine must never answer for this one. */
export async function startTauriDriver(env = {}) {
  const [port, nativePort] = [await freePort(), await freePort()];
  const child = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, ...env },
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const driver = new Driver(port);
  await Promise.race([
    driver.waitReady(),
    exited.then((code) => {
      throw new Error(`tauri-driver exited (${code}) before it was ready`);
    }),
  ]);
  return {
    driver,
    stop: () => {
      child.kill();
      return child.exitCode !== null ? Promise.resolve() : exited;
    },
  };
}

/** What every end-to-end test file needs: a temporary work folder (removed
 * afterwards), a queue file whose lines answer the app's next file dialogs
 * (`VITALFEW_TEST_DIALOG`), and tauri-driver running for the file's tests.
 * `suite.launch(dataDir)` starts the app on a data dir inside it. */
export function e2eSuite(name) {
  const work = mkdtempSync(join(tmpdir(), `vitalfew-e2e-${name}-`));
  const dialog = join(work, "dialog-answers");
  writeFileSync(dialog, "");
  const suite = {
    work,
    tauriDriver: null,
    /** Starts the app and waits for its window to show the UI. A session
     * whose webview never renders (seen on a loaded machine right after the
     * previous session ended: tauri-driver reports an incomplete message)
     * is ended and the app started once more; a second failure fails. */
    launch: async (dataDir) => {
      for (let attempt = 1; ; attempt++) {
        const app = await suite.tauriDriver.driver.launch(BIN, ["--data-dir", dataDir]);
        if (attempt === 2 || (await app.rendered(60_000))) return app;
        console.error("# the window did not show the UI within 60 s: launching the app again");
        await app.quit().catch(() => {});
      }
    },
    /** The next file dialog will answer `path`. */
    answerDialog: (path) => writeFileSync(dialog, `${path}\n`),
  };
  before(async () => {
    suite.tauriDriver = await startTauriDriver({ VITALFEW_TEST_DIALOG: dialog });
  });
  after(async () => {
    await suite.tauriDriver?.stop();
    rmSync(work, { recursive: true, force: true });
  });
  return suite;
}
