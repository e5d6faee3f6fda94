import { describe, expect, it } from "vitest";
import { packPeriod, presetRange } from "./period";

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
