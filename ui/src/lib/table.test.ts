import { describe, expect, it } from "vitest";
import type { CustomerRow } from "./bindings";
import { emptyColumns, exportColumns, extremes, gridTemplate, hiddenColumns, longest, searchRows, sortRows, visibleRange } from "./table";

const row = (id: number, name: string, profit: number | null, region: string | null = null): CustomerRow => ({
  id, ext_id: `C${id}`, name, former_names: id === 3 ? ["华东钢厂"] : [], revenue: id * 10, cost: null, profit, margin: null, orders: id,
  first_purchase: null, last_purchase: null, region, industry: null, attributes: {},
});

const rows = [row(1, "北方建材", -5), row(2, "Acme", 30, "上海"), row(3, "华东钢铁", null), row(4, "beta", 30)];
const zh = new Intl.Collator("zh-CN");

describe("sortRows", () => {
  it("sorts numbers both ways, missing values last, ties by id", () => {
    expect(sortRows(rows, "profit", true, zh).map((r) => r.id)).toEqual([2, 4, 1, 3]);
    expect(sortRows(rows, "profit", false, zh).map((r) => r.id)).toEqual([1, 2, 4, 3]);
  });

  it("sorts names with the language's collation", () => {
    const en = new Intl.Collator("en", { sensitivity: "base" });
    expect(sortRows(rows, "name", false, en).map((r) => r.name).slice(0, 2)).toEqual(["Acme", "beta"]);
  });

  it("does not change its input", () => {
    const copy = [...rows];
    sortRows(rows, "revenue", true, zh);
    expect(rows).toEqual(copy);
  });
});

describe("searchRows", () => {
  it("matches every word in name, ID or region, width- and case-insensitively", () => {
    expect(searchRows(rows, "ＡＣＭＥ").map((r) => r.id)).toEqual([2]);
    expect(searchRows(rows, "acme 上海").map((r) => r.id)).toEqual([2]);
    expect(searchRows(rows, "c3").map((r) => r.id)).toEqual([3]);
    expect(searchRows(rows, "   ")).toHaveLength(4);
    expect(searchRows(rows, "nobody")).toHaveLength(0);
  });

  it("finds a customer by a name it had before", () => {
    expect(searchRows(rows, "钢厂").map((r) => r.id)).toEqual([3]);
  });
});

describe("visibleRange", () => {
  it("covers the viewport plus overscan, clamped", () => {
    expect(visibleRange(0, 360, 36, 100_000, 2)).toEqual({ start: 0, end: 12 });
    expect(visibleRange(36_000, 360, 36, 100_000, 2)).toEqual({ start: 998, end: 1012 });
    expect(visibleRange(3_599_000, 720, 36, 100_000, 2)).toEqual({ start: 99_970, end: 99_995 });
    expect(visibleRange(3_700_000, 720, 36, 100_000, 2)).toEqual({ start: 100_000, end: 100_000 });
  });
});

describe("column widths", () => {
  it("longest keeps the longest strings, whatever their order", () => {
    const ids = Array.from({ length: 500 }, (_, i) => `C${i}`);
    ids.splice(137, 0, "TC-2024-000193");
    expect(longest(ids, 3)).toContain("TC-2024-000193");
    expect(longest(ids, 3).every((s) => s.length >= 4)).toBe(true);
    expect(longest(["a", "bb"], 5).sort()).toEqual(["a", "bb"]);
  });

  it("extremes finds the largest and smallest, even of a very long list", () => {
    expect(extremes([])).toEqual([]);
    expect(extremes([3, -7, 12, 0])).toEqual([12, -7]);
    const many = Array.from({ length: 300_000 }, (_, i) => i - 1000);
    expect(extremes(many)).toEqual([298_999, -1000]);
  });

  it("gridTemplate gives fixed columns their width and the rest to flexible ones", () => {
    const { template, minWidth } = gridTemplate([{ flex: 1, min: 140 }, { width: 80.2 }, { flex: 1, min: 96, max: 150 }, { width: 44 }]);
    expect(template).toBe("minmax(140px, 1fr) 81px minmax(96px, 150px) 44px");
    expect(minWidth).toBe(140 + 81 + 96 + 44);
    // A maximum below the minimum is the minimum.
    expect(gridTemplate([{ flex: 1, min: 96, max: 60 }]).template).toBe("minmax(96px, 96px)");
  });
});

describe("hiddenColumns", () => {
  const known = ["ext_id", "first_purchase", "industry"];
  it("uses the saved choice, dropping what no longer exists", () => {
    expect([...hiddenColumns('["industry","gone"]', known, ["first_purchase"])]).toEqual(["industry"]);
    expect([...hiddenColumns("[]", known, ["first_purchase"])]).toEqual([]);
  });
  it("falls back to the defaults with nothing saved or a damaged entry", () => {
    expect([...hiddenColumns(null, known, ["first_purchase"])]).toEqual(["first_purchase"]);
    expect([...hiddenColumns("{oops", known, ["first_purchase"])]).toEqual(["first_purchase"]);
    expect([...hiddenColumns('{"a":1}', known, ["first_purchase"])]).toEqual(["first_purchase"]);
  });
});

describe("emptyColumns", () => {
  it("finds the columns no row has a value in", () => {
    expect([...emptyColumns(rows, ["ext_id", "region", "industry", "margin"])]).toEqual(["industry", "margin"]);
    expect([...emptyColumns([{ ...rows[0], industry: "" }], ["industry"])]).toEqual(["industry"]);
  });
  it("hides nothing when there are no rows", () => {
    expect(emptyColumns([], ["industry"]).size).toBe(0);
  });
});

describe("exportColumns", () => {
  it("exports the visible columns, the segment one as its parts", () => {
    expect(exportColumns(["name", "revenue", "segment", "key"])).toEqual([
      "name",
      "revenue",
      "lifecycle",
      "segment",
      "r",
      "f",
      "m",
      "frequency_band",
      "spend_band",
      "key_account",
    ]);
    expect(exportColumns([])).toEqual([]);
  });
});
