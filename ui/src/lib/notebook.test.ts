import { describe, expect, test, vi } from "vitest";
import type { DueItem, Edit, Event } from "./bindings";
import { byDay, debounce, editLabel, mergeTimeline, newContact, newTouch, parseLunar, reportLevels, trendPoints, weighsKey } from "./notebook";

describe("notebook helpers", () => {
  test("new items are empty and unsaved", () => {
    expect(newContact("王伟")).toMatchObject({ id: 0, name: "王伟", level: null, removed: false });
    expect(newTouch("2026-03-02")).toMatchObject({ id: 0, date: "2026-03-02", kind: "visit", contacts: [] });
  });

  test("what an empty role weighs", () => {
    expect(weighsKey("decision", "finance")).toBe("map.weighs.decision");
    expect(weighsKey("operational", "user")).toBe("map.weighs.user");
    expect(weighsKey("management", "technical")).toBe("map.weighs.technical");
  });

  test("lunar month-days are read as owners write them", () => {
    expect(parseLunar("8-15")).toEqual({ month: 8, day: 15 });
    expect(parseLunar("08-15")).toEqual({ month: 8, day: 15 });
    expect(parseLunar("8月15日")).toEqual({ month: 8, day: 15 });
    expect(parseLunar("8-31")).toBeNull();
    expect(parseLunar("13-1")).toBeNull();
    expect(parseLunar("")).toBeNull();
  });

  test("the timeline merges events and edits, newest first", () => {
    const events: Event[] = [{ kind: "promoted", at: "2026-03-01", cleared: [] }];
    const edits: Edit[] = [
      { at: "2026-03-02T09:00:00+08:00", kind: "contact", item: 1, action: "added", label: "王伟" },
      { at: "2026-02-28T09:00:00+08:00", kind: "note", item: 2, action: "added", label: "old" },
    ];
    expect(mergeTimeline(events, edits).map((e) => e.at)).toEqual(["2026-03-02T09:00:00+08:00", "2026-03-01", "2026-02-28T09:00:00+08:00"]);
  });

  test("debounce runs the last call once, and flush runs it now", () => {
    vi.useFakeTimers();
    const seen: number[] = [];
    const d = debounce((n: number) => seen.push(n), 500);
    d.call(1);
    d.call(2);
    vi.advanceTimersByTime(499);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([2]);
    d.call(3);
    d.flush();
    expect(seen).toEqual([2, 3]);
    d.flush();
    expect(seen).toEqual([2, 3]);
    vi.useRealTimers();
  });

  test("due items group by day", () => {
    const item = (date: string, text: string): DueItem =>
      ({ date, kind: "action", account: 1, contact: null, text, account_name: "A", action: 1, overdue_days: 0 });
    expect(byDay([item("2026-03-01", "a"), item("2026-03-01", "b"), item("2026-03-02", "c")]).map(([d, l]) => [d, l.length])).toEqual([
      ["2026-03-01", 2],
      ["2026-03-02", 1],
    ]);
  });

  test("trend points run left to right, 5 at the top", () => {
    const t = trendPoints([5, 1, 3], 460, 150);
    expect(t.points.map((p) => p.x)).toEqual([40, 244, 448]);
    expect(t.points.map((p) => p.y)).toEqual([10, 140, 75]);
    expect(trendPoints([4], 460, 150).points[0].x).toBe(250);
  });
});

describe("editLabel", () => {
  test("a label the notebook cut ends with …", () => {
    const long = "The buyer asked for a quote on the whole 2025 line before the".slice(0, 60);
    expect(editLabel(long)).toBe(`${long}…`);
    expect(editLabel("Lunch with Linda")).toBe("Lunch with Linda");
    expect(editLabel("采购经理问了".repeat(10))).toBe(`${"采购经理问了".repeat(10)}…`);
  });
});

describe("reportLevels", () => {
  const p = (id: number, reports_to: number | null, left_on: string | null = null) => ({ id, reports_to, left_on });
  test("counts the levels of the reports-to tree of the people still there", () => {
    expect(reportLevels([])).toBe(1);
    expect(reportLevels([p(1, null), p(2, null)])).toBe(1);
    expect(reportLevels([p(1, null), p(2, 1), p(3, 2), p(4, 1)])).toBe(3);
    expect(reportLevels([p(1, null), p(2, 1, "2026-01-01"), p(3, 2)])).toBe(1);
  });
  test("a loop typed by hand ends the walk", () => {
    expect(reportLevels([p(1, 2), p(2, 1)])).toBe(2);
  });
});
