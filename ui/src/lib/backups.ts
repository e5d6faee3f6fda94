// Pure helpers for the backup list (no Svelte, no Tauri): unit-tested in backups.test.ts.
import type { Cause } from "./bindings";
import type { MessageKey } from "./i18n";

/** The catalog key and parameters that say why a backup was made. */
export function causeText(cause: Cause): [MessageKey, Record<string, string | number>] {
  switch (cause.op) {
    case "import":
      return ["backup.cause.import", { file: cause.file }];
    case "undo":
      return ["backup.cause.undo", { file: cause.file }];
    case "restore":
      return ["backup.cause.restore", { file: cause.file }];
    case "migration":
      return ["backup.cause.migration", { version: cause.to }];
    case "daily":
      return ["backup.cause.daily", {}];
    case "manual":
      return ["backup.cause.manual", {}];
    case "unreadable":
      return ["backup.cause.unreadable", {}];
  }
}

/** A file size as people read it: 812 KB, 45.6 MB. */
export function fileSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/** The file's name without its folder. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
