// Pure message-catalog logic (no Svelte, no Tauri): unit-tested in i18n.test.ts.
import en from "../locales/en.json";
import zhCN from "../locales/zh-CN.json";
import type { Lang } from "./bindings";

export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;

export const LANGS: readonly Lang[] = ["en", "zh-CN"];

export const catalogs: Record<Lang, Catalog> = {
  en,
  "zh-CN": zhCN as Catalog,
};

/** The text for `key` in `lang` with `{name}` placeholders filled in. Falls
 * back to English, then to the key, so a gap is visible and never a crash. */
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

export function formatPercent(lang: Lang, value: number): string {
  return new Intl.NumberFormat(lang, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

/** An ISO date (YYYY-MM-DD) in the language's short date format. */
export function formatDate(lang: Lang, iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return new Intl.DateTimeFormat(lang, { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** An RFC 3339 timestamp as local date and time. */
export function formatDateTime(lang: Lang, rfc3339: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(rfc3339));
}
