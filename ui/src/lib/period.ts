// Period presets for the Dashboard filter (pure; unit-tested).
export type Preset = "all" | "this_year" | "last_year" | "last_12m" | "custom";
export const PRESETS: readonly Preset[] = ["all", "this_year", "last_year", "last_12m", "custom"];

/** A local date as YYYY-MM-DD. */
export const iso = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

/** Calendar days from the ISO date `date` to `now`'s local day: 0 all of
 * today, whatever the hour; 1 all of yesterday. */
export function calendarDaysSince(date: string, now: Date): number {
  const [y, m, d] = date.split("-").map(Number);
  // Both as UTC midnights of their calendar days: no hours, no DST shift.
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((today - Date.UTC(y, m - 1, d)) / 86_400_000);
}

/** The inclusive ISO date range of a preset, relative to `today`. */
export function presetRange(preset: Preset, today: Date): { from?: string; to?: string } {
  const y = today.getFullYear();
  switch (preset) {
    case "this_year":
      return { from: `${y}-01-01`, to: `${y}-12-31` };
    case "last_year":
      return { from: `${y - 1}-01-01`, to: `${y - 1}-12-31` };
    case "last_12m": {
      const from = new Date(today);
      from.setFullYear(y - 1);
      from.setDate(from.getDate() + 1);
      return { from: iso(from), to: iso(today) };
    }
    default:
      return {};
  }
}

/** The Dashboard's period as last chosen, remembered for the meeting pack's
 * dialog (which File ▸ Export meeting pack… opens outside the Dashboard). */
export const dashboardPeriod: { from?: string; to?: string } = {};

/** The pack's period: the Dashboard's where it set an end, else the whole
 * data `range`. */
export function packPeriod(range: [string, string] | null, chosen: { from?: string; to?: string }): [string, string] {
  return [chosen.from ?? range?.[0] ?? "", chosen.to ?? range?.[1] ?? ""];
}
