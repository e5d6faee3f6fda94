// Typed wrappers around the app's IPC commands. Types come from bindings.ts,
// which is generated from Rust. Every failure is normalized to an ApiError.
import { invoke } from "@tauri-apps/api/core";
import { ERROR_CODES } from "./bindings";
import { tm } from "./locale.svelte";
import type {
  AccountView,
  ApiError,
  BackupInfo,
  Recovery,
  Change,
  DueItem,
  Holiday,
  NotebookChange,
  NotebookView,
  CostView,
  Health,
  ExportKind,
  Selection,
  Risk,
  SearchHit,
  Segments,
  Whitespace,
  Windows,
  Overview,
  PackRequest,
  ChartImage,
  ChartRequest,
  Dashboard,
  Filter,
  Measure,
  CustomerRow,
  ErrorCode,
  ImportOptions,
  ImportPreview,
  ImportRecord,
  RememberedMapping,
  Lang,
  OpenedFile,
  StoreInfo,
  UiPrefs,
} from "./bindings";

export function isApiError(e: unknown): e is ApiError {
  return (
    typeof e === "object" && e !== null &&
    ERROR_CODES.includes((e as ApiError).code) &&
    typeof (e as ApiError).message === "string"
  );
}

/** Anything thrown across IPC (or by the IPC layer itself) as an ApiError-like
 * value; unknown failures keep their text under the code "unexpected". */
export function toError(e: unknown): { code: ErrorCode | "unexpected"; message: string } {
  // What the owner is told, in their language (`message` is the English).
  if (isApiError(e)) return { ...e, message: e.detail ? tm(e.detail) : e.message };
  return { code: "unexpected", message: e instanceof Error ? e.message : String(e) };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toError(e);
  }
}

export const api = {
  getInfo: () => call<StoreInfo>("get_info"),
  getPrefs: () => call<UiPrefs>("get_prefs"),
  setLanguage: (lang: Lang) => call<UiPrefs>("set_language", { lang }),
  pickImportFile: () => call<string | null>("pick_import_file"),
  /** A file the app was asked to open from outside (desktop, command line, a second launch), once. */
  takeOpenedFile: () => call<OpenedFile | null>("take_opened_file"),
  previewImport: (path: string, options: ImportOptions) => call<ImportPreview>("preview_import", { path, options }),
  cancelImport: () => call<void>("cancel_import"),
  commitImport: () => call<ImportRecord | null>("commit_import"),
  discardImport: () => call<void>("discard_import"),
  undoImport: () => call<ImportRecord>("undo_import"),
  listImports: () => call<ImportRecord[]>("list_imports"),
  /** Forgets the mapping an earlier import remembered (`ImportPreview.remembered.id`). */
  forgetImportMapping: (id: number) => call<RememberedMapping>("forget_import_mapping", { id }),
  listCustomers: () => call<CustomerRow[]>("list_customers"),
  saveImportProblems: () => call<string | null>("save_import_problems"),
  setCurrency: (currency: string) => call<UiPrefs>("set_currency", { currency }),
  /** The Dashboard's figures; `measure` null: the data's own (see `Dashboard.measure`). */
  getDashboard: (measure: Measure | null, filter: Filter) => call<Dashboard>("get_dashboard", { measure, filter }),
  renderChart: (request: ChartRequest) => call<ChartImage>("render_chart", { request }),
  exportChart: (request: ChartRequest) => call<string | null>("export_chart", { request }),
  copyChart: (request: ChartRequest) => call<null>("copy_chart", { request }),
  exportRanking: (measure: Measure, filter: Filter, lang: Lang) =>
    call<string | null>("export_ranking", { measure, filter, lang }),
  listAccounts: () => call<Overview>("list_accounts"),
  changeAccount: (id: number, change: Change) => call<AccountView>("change_account", { id, change }),
  thisWeek: () => call<DueItem[]>("this_week"),
  getNotebook: (id: number) => call<NotebookView>("get_notebook", { id }),
  changeNotebook: (id: number, change: NotebookChange) => call<NotebookView>("change_notebook", { id, change }),
  /** Saves a table: the rows and columns `selection` names (all by
   * default), under the save dialog's `title` (which says how many). */
  exportTable: (kind: ExportKind, selection: Selection = {}, title: string | null = null) =>
    call<string | null>("export_table", { kind, selection, title }),
  getHealth: (id: number) => call<Health | null>("get_health", { id }),
  getWhitespace: (id: number | null) => call<Whitespace>("get_whitespace", { id }),
  getCostToServe: () => call<CostView>("get_cost_to_serve"),
  setHourlyRate: (rate: number) => call<number>("set_hourly_rate", { rate }),
  renderCostWhale: (width: number, height: number) => call<ChartImage>("render_cost_whale", { width, height }),
  exportCostWhale: () => call<string | null>("export_cost_whale"),
  /** The meeting pack, after the native save dialog (null: cancelled);
   * `pack-progress` events come while it is built. */
  exportPack: (request: PackRequest) => call<string | null>("export_pack", { request }),
  renderSegmentChart: (asOf: string | null, windows: Windows, width: number, height: number) =>
    call<ChartImage>("render_segment_chart", { asOf, windows, width, height }),
  exportSegmentChart: (asOf: string | null, windows: Windows) => call<string | null>("export_segment_chart", { asOf, windows }),
  getRisk: () => call<Risk>("get_risk"),
  getSegments: (asOf: string | null, windows: Windows) => call<Segments>("get_segments", { asOf, windows }),
  renderRelationshipMap: (id: number, width: number, height: number) => call<ChartImage>("render_relationship_map", { id, width, height }),
  exportRelationshipMap: (id: number) => call<string | null>("export_relationship_map", { id }),
  getSatisfactionAverage: () => call<number | null>("get_satisfaction_average"),
  search: (query: string) => call<SearchHit[]>("search", { query }),
  listHolidays: () => call<Holiday[]>("list_holidays"),
  setHolidays: (holidays: Holiday[]) => call<Holiday[]>("set_holidays", { holidays }),
  backupNow: () => call<BackupInfo | null>("backup_now"),
  listBackups: () => call<BackupInfo[]>("list_backups"),
  pickBackupFile: () => call<string | null>("pick_backup_file"),
  restoreBackup: (path: string) => call<BackupInfo>("restore_backup", { path }),
  getRecovery: () => call<Recovery | null>("get_recovery"),
  openOtherFolder: () => call<string | null>("open_other_folder"),
  startEmpty: () => call<boolean>("start_empty"),
};
