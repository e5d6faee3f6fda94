import { describe, expect, test } from "vitest";
import { packRequest } from "./pack";

const base = { from: "2024-01-05", to: "2024-06-13", range: ["2024-01-05", "2024-06-13"] as [string, string], all: true, chosen: [], lang: "en" as const };

describe("the meeting pack request", () => {
  test("the whole data range and all accounts send no period and no list", () => {
    expect(packRequest(base)).toEqual({ request: { lang: "en" } });
  });

  test("a narrower period and ticked accounts are sent", () => {
    expect(packRequest({ ...base, from: "2024-02-01", all: false, chosen: [3, 1], lang: "zh-CN" })).toEqual({
      request: { lang: "zh-CN", from: "2024-02-01", to: "2024-06-13", accounts: [3, 1] },
    });
    expect(packRequest({ ...base, from: "", to: "2024-03-01", range: null })).toEqual({ request: { lang: "en", to: "2024-03-01" } });
  });

  test("no account ticked, or a period that ends before it begins, is refused", () => {
    expect(packRequest({ ...base, all: false, chosen: [] })).toEqual({ problem: "pack.dialog.none_chosen" });
    expect(packRequest({ ...base, from: "2024-05-01", to: "2024-04-01" })).toEqual({ problem: "pack.dialog.bad_period" });
  });
});
