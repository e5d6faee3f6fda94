import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  catalogs,
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
} from "./i18n";

describe("catalogs", () => {
  it("have the same keys in every language and no empty text", () => {
    const en = Object.keys(catalogs.en).sort();
    const zh = Object.keys(catalogs["zh-CN"]).sort();
    expect(zh).toEqual(en);
    for (const cat of Object.values(catalogs)) {
      for (const [key, text] of Object.entries(cat)) {
        expect(text.trim(), key).not.toBe("");
      }
    }
  });

  it("use the same placeholders in every language", () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(catalogs.en) as (keyof typeof catalogs.en)[]) {
      expect(placeholders(catalogs["zh-CN"][key]), key).toEqual(placeholders(catalogs.en[key]));
    }
  });

  it("cover every key the components use", () => {
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(svelte|ts)$/.test(name) && !name.endsWith(".test.ts")) {
          const src = readFileSync(path, "utf8");
          for (const m of src.matchAll(/\bt\(\s*"([\w.-]+)"/g)) used.add(m[1]);
          for (const m of src.matchAll(/\btc\(\s*"([\w.-]+)"/g)) {
            used.add(`${m[1]}.one`);
            used.add(`${m[1]}.other`);
          }
        }
      }
    };
    walk(fileURLToPath(new URL("..", import.meta.url)));
    expect(used.size).toBeGreaterThan(10);
    for (const key of used) expect(catalogs.en, key).toHaveProperty([key]);
  });
});

describe("translate", () => {
  it("fills placeholders and formats numbers for the language", () => {
    expect(translate("en", "footer.data_dir", { dir: "/d" })).toBe("Data folder: /d");
    expect(translate("en", "count.customers.other", { n: 12345 })).toBe("12,345 customers");
    expect(translate("zh-CN", "nav.accounts")).toBe("大客户");
  });

  it("leaves unknown placeholders and keys visible", () => {
    expect(translate("en", "footer.data_dir")).toBe("Data folder: {dir}");
    expect(translate("zh-CN", "no.such.key")).toBe("no.such.key");
  });
});

describe("translateCount", () => {
  it("picks the plural form for the language", () => {
    expect(translateCount("en", "count.customers", 1)).toBe("1 customer");
    expect(translateCount("en", "count.customers", 0)).toBe("0 customers");
    expect(translateCount("en", "count.accounts", 2500)).toBe("2,500 key accounts");
    expect(translateCount("zh-CN", "count.sales_lines", 1)).toBe("1 条销售记录");
    expect(translateCount("zh-CN", "count.customers", 3)).toBe("3 个客户");
  });
});

describe("languages", () => {
  it("map locales like the Rust side", () => {
    expect(langForLocale("zh-CN")).toBe("zh-CN");
    expect(langForLocale("zh-Hant-TW")).toBe("zh-CN");
    expect(langForLocale("en-GB")).toBe("en");
    expect(langForLocale(undefined)).toBe("en");
  });

  it("format numbers per language", () => {
    expect(formatNumber("en", 1234567.5)).toBe("1,234,567.5");
    expect(formatNumber("zh-CN", 1234567.5)).toBe("1,234,567.5");
  });
});

describe("formats", () => {
  it("money, percent and dates follow the language", () => {
    expect(formatMoney("en", -1234.5)).toBe("-1,234.50");
    expect(formatCash("en", "¥", -5000)).toBe("-\u2060¥5,000.00");
    expect(formatCash("zh-CN", "$", 1234.5)).toBe("$1,234.50");
    expect(formatCash("en", "", -1)).toBe("-1.00");
    expect(formatPercent("en", 0.1234)).toBe("12.3%");
    expect(formatPercent("zh-CN", 0.1234)).toBe("12.3%");
    expect(formatPercent("en", 14.539, true)).toBe("+1,453.9%");
    expect(formatPercent("en", -0.04, true)).toBe("-4.0%");
    expect(formatPercent("en", 0, true)).toBe("0.0%");
  });

  it("one date format per language", () => {
    expect(formatDate("en", "2024-01-05")).toBe("2024-01-05");
    expect(formatDate("zh-CN", "2024-01-05")).toBe("2024年1月5日");
    // Local time, 24-hour clock, whatever the hour.
    for (const [h, m, text] of [
      [0, 1, "00:01"],
      [14, 39, "14:39"],
      [23, 59, "23:59"],
    ] as const) {
      const t = new Date(2026, 11, 5, h, m).toISOString();
      expect(formatDateTime("en", t)).toBe(`2026-12-05 ${text}`);
      expect(formatDateTime("zh-CN", t)).toBe(`2026年12月5日 ${text}`);
    }
  });

  it("days ago in calendar days and words", () => {
    expect(formatDaysAgo("en", 0)).toBe("today");
    expect(formatDaysAgo("en", 1)).toBe("yesterday");
    expect(formatDaysAgo("en", 3)).toBe("3 days ago");
    expect(formatDaysAgo("zh-CN", 0)).toBe("今天");
    expect(formatDaysAgo("zh-CN", 1)).toBe("昨天");
    expect(formatDaysAgo("zh-CN", 12)).toBe("12 天前");
  });
});
