import { describe, expect, it } from "vitest";
import { baseName, causeText, fileSize } from "./backups";
import { translate } from "./i18n";

describe("backups", () => {
  it("says why a backup was made in either language", () => {
    const [key, params] = causeText({ op: "import", file: "ledger.csv" });
    expect(translate("en", key, params)).toContain("ledger.csv");
    expect(translate("zh-CN", key, params)).toContain("ledger.csv");
    expect(translate("zh-CN", ...causeText({ op: "migration", to: 2 }))).toContain("2");
    for (const op of ["daily", "manual", "unreadable"] as const) {
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
});
