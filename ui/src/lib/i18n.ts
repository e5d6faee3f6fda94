// Pure message-catalog logic (no Svelte, no Tauri): unit-tested in i18n.test.ts.
import en from "../locales/en.json";
import zhCN from "../locales/zh-CN.json";
import type { Lang, Msg } from "./bindings";

export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;

export const LANGS: readonly Lang[] = ["en", "zh-CN"];

export const catalogs: Record<Lang, Catalog> = {
  en,
  "zh-CN": zhCN as Catalog,
};

/** The text for `key` in `lang` with `{name}` placeholders filled in. Falls
 * back to English, then to the key, so a gap is visible and never a crash. */
/** A message from the Rust side (its key and values) in `lang`; a value
 * that is itself a message is translated too. */
export function translateMsg(lang: Lang, msg: Msg): string {
  const params = Object.fromEntries(
    Object.entries(msg.params).map(([name, v]) => [name, typeof v === "string" ? v : translateMsg(lang, v)]),
  );
  return translate(lang, msg.key, params);
}

export function translate(
  lang: Lang,
  key: string,
  params: Record<string, string | number> = {},
): string {
  const text =
    (catalogs[lang] as Record<string, string>)[key] ??
    (catalogs.en as Record<string, string>)[key] ??
    key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? formatParam(lang, params[name]) : whole,
  );
}

/** A count with its noun in the right plural form, e.g. "1 customer",
 * "2 customers". Catalogs hold `<base>.one` / `<base>.other` (CLDR categories);
 * a missing category falls back to `other`. */
export function translateCount(lang: Lang, base: string, n: number): string {
  const category = new Intl.PluralRules(lang).select(n);
  const key = `${base}.${category}` in catalogs.en ? `${base}.${category}` : `${base}.other`;
  return translate(lang, key, { n });
}

function formatParam(lang: Lang, value: string | number): string {
  return typeof value === "number" ? formatNumber(lang, value) : value;
}

export function formatNumber(lang: Lang, value: number): string {
  return new Intl.NumberFormat(lang).format(value);
}

/** Maps a browser/system locale tag to a UI language (any Chinese → 简体中文);
 * mirrors `i18n::lang_for_locale` on the Rust side. */
export function langForLocale(locale: string | undefined): Lang {
  return locale?.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

export function formatMoney(lang: Lang, value: number): string {
  return new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
}

/** Money with its currency symbol; the sign goes before the symbol (-¥5.00). */
export function formatCash(lang: Lang, symbol: string, value: number): string {
  const text = formatMoney(lang, value);
  if (!symbol) return text;
  // A word joiner (U+2060) keeps the sign on the line of its amount: a line
  // may otherwise break between "-" and the symbol.
  return text.startsWith("-") ? `-\u2060${symbol}${text.slice(1)}` : `${symbol}${text}`;
}

/** A share as a percentage with one decimal: 12.3%, -4.0%; `signed` puts
 * "+" before a rise (+1,453.9%). The one percent format of the app (the
 * Rust side's `i18n::percent` writes the same). */
export function formatPercent(lang: Lang, value: number, signed = false): string {
  return new Intl.NumberFormat(lang, {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: signed ? "exceptZero" : "auto",
  }).format(value);
}

/** Year, month and day as the language writes a date: 2024-01-05 in
 * English (unambiguous, as the imports and exports write it),
 * 2024年1月5日 in Chinese. The one date format of the app (the Rust side's
 * `i18n::date` writes the same). */
function ymd(lang: Lang, y: number, m: number, d: number): string {
  return lang === "zh-CN" ? `${y}年${m}月${d}日` : `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** An ISO date (YYYY-MM-DD) as the language writes a date. */
export function formatDate(lang: Lang, iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return ymd(lang, y, m, d);
}

/** An RFC 3339 timestamp as the local date and time (24-hour clock). */
export function formatDateTime(lang: Lang, rfc3339: string): string {
  const t = new Date(rfc3339);
  const hm = `${String(t.getHours()).padStart(2, "0")}:${String(t.getMinutes()).padStart(2, "0")}`;
  return `${ymd(lang, t.getFullYear(), t.getMonth() + 1, t.getDate())} ${hm}`;
}

/** How long ago a day was, in calendar days: "today", "yesterday", "3 days
 * ago" (the Rust side's `i18n::days_ago` says the same). */
export function formatDaysAgo(lang: Lang, days: number): string {
  if (days <= 0) return translate(lang, "days_ago.today");
  if (days === 1) return translate(lang, "days_ago.yesterday");
  return translate(lang, "days_ago.other", { n: days });
}
