// Notebook helpers for the account page (pure; unit-tested in notebook.test.ts).
import type { BuyingFunction, Contact, DueItem, Edit, Event, Level, LunarDay, Touch } from "./bindings";

/** A contact with nothing filled in but its name. */
export function newContact(name = ""): Contact {
  return {
    id: 0,
    name,
    title: "",
    department: "",
    phone: "",
    email: "",
    wechat: "",
    birthday: null,
    lunar_birthday: null,
    level: null,
    function: null,
    attitude: null,
    influence: null,
    reports_to: null,
    cares_about: "",
    personal: { hometown: "", university: "", sports: "", food: "", family: "", pets: "", books: "", holidays: "", travel: "", goals: "" },
    left_on: null,
    removed: false,
  };
}

/** A touch on `date` with nothing filled in. */
export function newTouch(date: string): Touch {
  return { id: 0, date, kind: "visit", contacts: [], summary: "", next: "", due: null, hours: null, cost: null, removed: false };
}

/** The message key of what an empty buying-map cell's role weighs
 * (DOMAIN.md §4): the decision level wants a brief answer and the outcome;
 * below it, users ease of use, technical staff reliability, finance price. */
export function weighsKey(level: Level, fn: BuyingFunction): string {
  return level === "decision" ? "map.weighs.decision" : `map.weighs.${fn}`;
}

/** A lunar month-day typed as "8-15" or "08-15" (null when not one). */
export function parseLunar(text: string): LunarDay | null {
  const m = /^\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$/.exec(text);
  if (!m) return null;
  const [month, day] = [Number(m[1]), Number(m[2])];
  return month >= 1 && month <= 12 && day >= 1 && day <= 30 ? { month, day } : null;
}

export const lunarText = (l: LunarDay) => `${String(l.month).padStart(2, "0")}-${String(l.day).padStart(2, "0")}`;

/** One entry of the merged account timeline: a relationship event or a
 * notebook edit, newest first. */
export type TimelineEntry = { at: string; event?: Event; edit?: Edit };

/** How many characters of a long note, touch or need the notebook keeps as
 * an edit's label (`notebook::Item::label`): a label that long was cut. */
export const LABEL_CHARS = 60;

/** An edit's label as the timeline shows it: a cut one ends with "…". */
export function editLabel(label: string): string {
  return [...label].length >= LABEL_CHARS && !label.endsWith("…") ? `${label.trimEnd()}…` : label;
}

export function mergeTimeline(events: Event[], edits: Edit[]): TimelineEntry[] {
  const all: TimelineEntry[] = [...events.map((e) => ({ at: e.at, event: e })), ...edits.map((e) => ({ at: e.at, edit: e }))];
  // Events carry a day, edits a moment: compare the day, then keep edits
  // (which are exact) after the day's events, newest first.
  return all
    .map((e, i) => ({ e, i }))
    .sort((a, b) => b.e.at.slice(0, 10).localeCompare(a.e.at.slice(0, 10)) || b.e.at.localeCompare(a.e.at) || b.i - a.i)
    .map(({ e }) => e);
}

/** Calls `fn` once `ms` after the last call; `flush` runs a pending call now. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: A | undefined;
  const run = () => {
    timer = undefined;
    if (pending) {
      const args = pending;
      pending = undefined;
      fn(...args);
    }
  };
  return {
    call(...args: A) {
      pending = args;
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, ms);
    },
    flush() {
      if (timer) clearTimeout(timer);
      run();
    },
  };
}

/** Due items grouped by day, in order. */
export function byDay(items: DueItem[]): [string, DueItem[]][] {
  const days = new Map<string, DueItem[]>();
  for (const i of items) days.set(i.date, [...(days.get(i.date) ?? []), i]);
  return [...days.entries()];
}

/** Points of scores 1–5 on a `width`×`height` chart (a left margin for the
 * axis), evenly spaced, and the y of a score. */
export function trendPoints(scores: number[], width: number, height: number) {
  const [left, top, bottom] = [40, 10, 10];
  const y = (v: number) => top + ((5 - v) / 4) * (height - top - bottom);
  const step = scores.length > 1 ? (width - left - 12) / (scores.length - 1) : 0;
  const points = scores.map((v, i) => ({ x: scores.length > 1 ? left + i * step : (left + width) / 2, y: y(v) }));
  return { points, y };
}

/** How many levels the relationship map's reports-to tree has, counting
 * the people still with the customer (a reports-to loop ends the walk):
 * what the map's height is sized for. */
export function reportLevels(people: readonly { id: number; reports_to: number | null; left_on: string | null }[]): number {
  const boss = new Map(people.filter((p) => p.left_on === null).map((p) => [p.id, p.reports_to]));
  let deepest = 1;
  for (const id of boss.keys()) {
    const seen = new Set([id]);
    for (let up = boss.get(id); up != null && boss.has(up) && !seen.has(up); up = boss.get(up)) seen.add(up);
    deepest = Math.max(deepest, seen.size);
  }
  return deepest;
}
