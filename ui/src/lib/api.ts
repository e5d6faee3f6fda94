// The app's IPC commands, typed: `commands` is generated from the operation
// tables in Rust (src-tauri/gui/operations/); types come from bindings.ts.
// Every failure is normalized to an ApiError (see call.ts).
import { commands } from "./commands";
import type { ExportKind, Selection } from "./bindings";

export { isApiError, toError } from "./call";

export const api = {
  ...commands,
  /** Saves a table: the rows and columns `selection` names (all by
   * default), under the save dialog's `title` (which says how many). */
  exportTable: (kind: ExportKind, selection: Selection = {}, title: string | null = null) =>
    commands.exportTable(kind, selection, title),
};
