// The UI language as reactive state. Components call t(...) in their markup;
// it re-renders when the language changes.
import type { Lang } from "./bindings";
import {
  formatCash,
  formatDate,
  formatDateTime,
  formatDaysAgo,
  formatMoney,
  formatNumber,
  formatPercent,
  langForLocale,
  translate,
  translateCount,
  translateMsg,
  type MessageKey,
} from "./i18n";
import type { Msg } from "./bindings";

class Locale {
  lang = $state<Lang>(langForLocale(globalThis.navigator?.language));
}

export const locale = new Locale();

$effect.root(() => {
  $effect(() => {
    document.documentElement.lang = locale.lang;
  });
});

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(locale.lang, key, params);
}

/** A message the Rust side built (e.g. why a row was skipped), in the UI language. */
export function tm(msg: Msg): string {
  return translateMsg(locale.lang, msg);
}

/** A count with its noun, e.g. tc("count.customers", 3) → "3 customers". */
export function tc(base: string, count: number): string {
  return translateCount(locale.lang, base, count);
}


/** Numbers, money, percentages and dates in the UI language's format. */
export const fmt = {
  number: (v: number) => formatNumber(locale.lang, v),
  money: (v: number) => formatMoney(locale.lang, v),
  /** Money with a currency symbol, e.g. -¥5,000.00. */
  cash: (symbol: string, v: number) => formatCash(locale.lang, symbol, v),
  percent: (v: number, signed = false) => formatPercent(locale.lang, v, signed),
  date: (iso: string) => formatDate(locale.lang, iso),
  dateTime: (rfc3339: string) => formatDateTime(locale.lang, rfc3339),
  daysAgo: (days: number) => formatDaysAgo(locale.lang, days),
};
