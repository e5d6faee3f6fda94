// The meeting pack dialog's request (pure; unit-tested).
import type { Lang, PackRequest } from "./bindings";

export type PackChoice = {
  /** ISO dates as the date inputs hold them ("" when empty). */
  from: string;
  to: string;
  /** The data's first and last dated sale, the dialog's default period. */
  range: [string, string] | null;
  /** All key accounts, or only `chosen`. */
  all: boolean;
  chosen: number[];
  lang: Lang;
};

/** The request for the choice, or the message key of what is wrong. A
 * period equal to the whole data range is sent as none (all dates). */
export function packRequest(c: PackChoice): { request: PackRequest } | { problem: "pack.dialog.none_chosen" | "pack.dialog.bad_period" } {
  if (!c.all && c.chosen.length === 0) return { problem: "pack.dialog.none_chosen" };
  if (c.from && c.to && c.from > c.to) return { problem: "pack.dialog.bad_period" };
  const whole = c.range !== null && c.from === c.range[0] && c.to === c.range[1];
  const request: PackRequest = { lang: c.lang };
  if (!whole && c.from) request.from = c.from;
  if (!whole && c.to) request.to = c.to;
  if (!c.all) request.accounts = [...c.chosen];
  return { request };
}
