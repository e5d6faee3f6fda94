import { describe, expect, it } from "vitest";
import { calendarDaysSince, packPeriod, presetRange } from "./period";

describe("presetRange", () => {
  const today = new Date(2026, 10, 22); // 22 Nov 2026
  it("gives calendar years and the last 12 months", () => {
    expect(presetRange("all", today)).toEqual({});
    expect(presetRange("this_year", today)).toEqual({ from: "2026-01-01", to: "2026-12-31" });
    expect(presetRange("last_year", today)).toEqual({ from: "2025-01-01", to: "2025-12-31" });
    expect(presetRange("last_12m", today)).toEqual({ from: "2025-11-23", to: "2026-11-22" });
  });
});

describe("packPeriod", () => {
  it("takes the Dashboard's period where it set an end, else the whole data range", () => {
    const range: [string, string] = ["2024-01-05", "2025-12-28"];
    expect(packPeriod(range, {})).toEqual(range);
    expect(packPeriod(range, { from: "2025-01-01", to: "2025-12-31" })).toEqual(["2025-01-01", "2025-12-31"]);
    expect(packPeriod(range, { from: "2025-07-01" })).toEqual(["2025-07-01", "2025-12-28"]);
    expect(packPeriod(null, {})).toEqual(["", ""]);
  });
});

describe("calendarDaysSince", () => {
  it("counts calendar days, whatever the hour", () => {
    for (const [h, m] of [
      [0, 1],
      [12, 0],
      [23, 59],
    ]) {
      const now = new Date(2026, 11, 5, h, m);
      expect(calendarDaysSince("2026-12-05", now)).toBe(0);
      expect(calendarDaysSince("2026-12-04", now)).toBe(1);
      expect(calendarDaysSince("2026-11-05", now)).toBe(30);
    }
  });
  it("spans a leap day and a clock change", () => {
    expect(calendarDaysSince("2028-02-28", new Date(2028, 2, 1, 23, 59))).toBe(2);
    expect(calendarDaysSince("2026-03-01", new Date(2026, 3, 1, 0, 1))).toBe(31);
    expect(calendarDaysSince("2026-10-01", new Date(2026, 10, 1, 0, 1))).toBe(31);
  });
});
