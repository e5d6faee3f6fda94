// The app's native window from outside the webview, as a user's keyboard
// reaches it (xdotool): its title, key chords for the GTK menu's
// accelerators, and File and Help menu items. WebDriver only drives the webview.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

/** The items of the File menu, by position (1 = the first). */
export const FILE_MENU = { import: 1, exportChart: 2, exportPack: 3, team: 4, backUp: 5, restore: 6 };

/** The X window ids of the app's windows (two apps on two data folders
 * have one each). */
export function windowIds() {
  const r = spawnSync("xdotool", ["search", "--name", "^Vital Few"], { encoding: "utf8" });
  return r.stdout.trim().split("\n").filter(Boolean);
}

let chosen = null;

/** Keys go to window `id` from now on (null: the first app window). */
export function useWindow(id) {
  chosen = id;
}

/** The X window id of the app's main window (the one chosen), or null. */
export function windowId() {
  return chosen ?? windowIds()[0] ?? null;
}

export function windowName() {
  const id = windowId();
  return id && spawnSync("xdotool", ["getwindowname", id], { encoding: "utf8" }).stdout.trim();
}

/** Types a key chord (or several keys) into the app window. */
export function key(...keys) {
  const id = windowId();
  assert.ok(id, "app window not found");
  assert.equal(spawnSync("xdotool", ["windowfocus", "--sync", id]).status, 0);
  assert.equal(spawnSync("xdotool", ["key", "--clearmodifiers", ...keys]).status, 0);
}

/** The items of the Help menu, by position. */
export const HELP_MENU = { check: 1 };

/** File ▸ the `n`-th item with the keyboard, as a user can: F10 opens the
 * menu bar's first menu. */
export function fileMenu(n) {
  key("F10");
  spawnSync("sleep", ["0.4"]);
  assert.equal(spawnSync("xdotool", ["key", ...Array(n).fill("Down"), "Return"]).status, 0);
}

/** Help ▸ the `n`-th item: F10 opens File, Right moves to Help. */
export function helpMenu(n) {
  key("F10");
  spawnSync("sleep", ["0.4"]);
  assert.equal(spawnSync("xdotool", ["key", "Right"]).status, 0);
  spawnSync("sleep", ["0.3"]);
  assert.equal(spawnSync("xdotool", ["key", ...Array(n).fill("Down"), "Return"]).status, 0);
}
