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
    const hay = fold([r.name, r.ext_id ?? "", r.region ?? "", r.industry ?? "", ...(r.former_names ?? [])].join(" "));
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

/** The `count` longest strings of `values` (by characters): the candidates
 * for a column's widest cell, measured instead of every row. */
export function longest(values: Iterable<string>, count = 24): string[] {
  const top: string[] = [];
  for (const v of values) {
    if (top.length < count) top.push(v);
    else {
      let shortest = 0;
      for (let i = 1; i < top.length; i++) if (top[i].length < top[shortest].length) shortest = i;
      if (v.length > top[shortest].length) top[shortest] = v;
    }
  }
  return top;
}

/** The largest and the smallest of `values` (none for none): the widest
 * numbers of a column once formatted. A loop, not `Math.max(...values)`,
 * which fails on very long arrays. */
export function extremes(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  let [lo, hi] = [values[0], values[0]];
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [hi, lo];
}

/** A column's track: `width` px when fixed; `flex` columns take what is
 * left over, never less than `min` px and (for a `max`) no more than it. */
export type Track = { width: number } | { flex: number; min: number; max?: number };

/** The CSS grid template of a table's rows, and the width under which the
 * table must scroll sideways (fixed widths plus every flexible minimum). */
export function gridTemplate(tracks: Track[]): { template: string; minWidth: number } {
  let minWidth = 0;
  const parts = tracks.map((t) => {
    if ("width" in t) {
      const w = Math.ceil(t.width);
      minWidth += w;
      return `${w}px`;
    }
    minWidth += t.min;
    return t.max !== undefined ? `minmax(${t.min}px, ${Math.ceil(Math.max(t.min, t.max))}px)` : `minmax(${t.min}px, ${t.flex}fr)`;
  });
  return { template: parts.join(" "), minWidth };
}

/** Which optional columns are hidden: the owner's saved choice when there
 * is a valid one, else `defaults`. Unknown keys are dropped. */
export function hiddenColumns(saved: string | null, known: readonly string[], defaults: readonly string[]): Set<string> {
  if (saved !== null) {
    try {
      const list: unknown = JSON.parse(saved);
      if (Array.isArray(list)) return new Set(list.filter((k): k is string => typeof k === "string" && known.includes(k)));
    } catch {
      // A damaged entry: the defaults.
    }
  }
  return new Set(defaults);
}

/** The columns with no value in any row (a ledger without a region or an
 * industry): hidden unless the owner shows them, so a column of "—" does
 * not take the width the others need. None when there are no rows. */
export function emptyColumns<K extends keyof CustomerRow>(rows: readonly CustomerRow[], keys: readonly K[]): Set<K> {
  if (rows.length === 0) return new Set();
  return new Set(keys.filter((k) => rows.every((r) => r[k] === null || r[k] === undefined || r[k] === "")));
}

/** The export's columns (`export::tables::CUSTOMER_COLUMNS`) for the
 * table's visible ones, in the export's order: the segment column holds the
 * stage, the RFM segment, scores and bands; the key column is the key
 * account's type. */
export function exportColumns(visible: string[]): string[] {
  const of: Record<string, string[]> = {
    segment: ["lifecycle", "segment", "r", "f", "m", "frequency_band", "spend_band"],
    key: ["key_account"],
  };
  return visible.flatMap((k) => of[k] ?? [k]);
}
