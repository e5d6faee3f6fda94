import { describe, expect, it } from "vitest";
import { baseName, causeText, fileSize, newestFirst } from "./backups";
import { translate } from "./i18n";
import type { BackupInfo } from "./bindings";

const info = (created_at: string, file: string): BackupInfo => ({
  file,
  created_at,
  kind: "auto",
  reason: "",
  cause: { op: "daily" },
  customers: 1,
  sales_lines: 2,
  accounts: 0,
  bytes: 10,
  schema_version: 2,
});

describe("backups", () => {
  it("says why a backup was made in either language", () => {
    const [key, params] = causeText({ op: "import", file: "ledger.csv" });
    expect(translate("en", key, params)).toContain("ledger.csv");
    expect(translate("zh-CN", key, params)).toContain("ledger.csv");
    expect(translate("zh-CN", ...causeText({ op: "migration", to: 2 }))).toContain("2");
    for (const op of ["daily", "manual"] as const) {
      const [k] = causeText({ op });
      expect(translate("en", k)).not.toBe(k);
    }
  });

  it("sizes and names files", () => {
    expect(fileSize(2000)).toBe("2 KB");
    expect(fileSize(45.6 * 1024 * 1024)).toBe("45.6 MB");
    expect(baseName("/a/b/20261130-daily.vfbackup")).toBe("20261130-daily.vfbackup");
    expect(baseName("C:\\x\\y.vfbackup")).toBe("y.vfbackup");
  });

  it("lists the newest first", () => {
    const sorted = newestFirst([info("2026-11-01T10:00:00+08:00", "a"), info("2026-11-03T10:00:00+08:00", "b")]);
    expect(sorted.map((b) => b.file)).toEqual(["b", "a"]);
  });
});
