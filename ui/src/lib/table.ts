// Sorting, searching and windowing for large tables (pure; unit-tested).
import type { CustomerRow } from "./bindings";

export type SortKey = "name" | "ext_id" | "revenue" | "profit" | "margin" | "orders" | "first_purchase" | "last_purchase" | "region" | "industry";

/** Sorts a copy; missing values always last; ties by id so order is stable. */
export function sortRows(rows: CustomerRow[], key: SortKey, descending: boolean, collator: Intl.Collator): CustomerRow[] {
  const dir = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === null || x === undefined) return y === null || y === undefined ? a.id - b.id : 1;
    if (y === null || y === undefined) return -1;
    const c = typeof x === "number" && typeof y === "number" ? x - y : collator.compare(String(x), String(y));
    return c === 0 ? a.id - b.id : c * dir;
  });
}

/** Rows whose name, ID, region or industry contains every word of `query`
 * (case- and width-insensitive). */
export function searchRows(rows: CustomerRow[], query: string): CustomerRow[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((r) => {
    const hay = fold([r.name, r.ext_id ?? "", r.region ?? "", r.industry ?? ""].join(" "));
    return words.every((w) => hay.includes(w));
  });
}

function fold(s: string): string {
  return s.normalize("NFKC").toLowerCase();
}

/** The slice of rows to render for a scroll position (plus overscan). */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 8) {
  const start = Math.min(total, Math.max(0, Math.floor(scrollTop / rowHeight) - overscan));
  const end = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { start, end };
}
