// Generated from the operation tables in src-tauri/gui/operations/ by `make bindings`.
// Do not edit: tests/bindings.rs fails when this file is stale.
import { call } from "./call";
import type {
  AccountView,
  BackupInfo,
  Change,
  ChartImage,
  ChartRequest,
  CheckReport,
  CostView,
  CustomerRow,
  Dashboard,
  DueItem,
  ExportKind,
  Filter,
  Health,
  Holiday,
  ImportOptions,
  ImportPreview,
  ImportRecord,
  Lang,
  Measure,
  NotebookChange,
  NotebookView,
  OpenedFile,
  Overview,
  PackRequest,
  Recovery,
  RememberedMapping,
  Risk,
  SearchHit,
  Segments,
  Selection,
  StoreInfo,
  SyncReport,
  TeamStatus,
  UiPrefs,
  Whitespace,
  Windows,
} from "./bindings";

export const commands = {
  getInfo: () => call<StoreInfo>("get_info"),
  getPrefs: () => call<UiPrefs>("get_prefs"),
  /** Saves the UI's language and relabels the menu. */
  setLanguage: (lang: Lang) => call<UiPrefs>("set_language", { lang }),
  setCurrency: (currency: string) => call<UiPrefs>("set_currency", { currency }),
  /** The file the owner picks in the native open dialog (null: cancelled). */
  pickImportFile: () => call<string | null>("pick_import_file"),
  /** A file the app was asked to open from outside (desktop, command line, a second launch), once. */
  takeOpenedFile: () => call<OpenedFile | null>("take_opened_file"),
  /** Reads the file and plans its import (with `import-progress` events);
   * the plan waits for `commit_import`. */
  previewImport: (path: string, options: ImportOptions) => call<ImportPreview>("preview_import", { path, options }),
  cancelImport: () => call<void>("cancel_import"),
  /** Commits the previewed import (null: it changed nothing). */
  commitImport: () => call<ImportRecord | null>("commit_import"),
  discardImport: () => call<void>("discard_import"),
  undoImport: () => call<ImportRecord>("undo_import"),
  listImports: () => call<Array<ImportRecord>>("list_imports"),
  /** Forgets the mapping an earlier import remembered (`ImportPreview.remembered.id`). */
  forgetImportMapping: (id: number) => call<RememberedMapping>("forget_import_mapping", { id }),
  listCustomers: () => call<Array<CustomerRow>>("list_customers"),
  /** Saves the previewed import's problem rows as CSV where the owner chooses. */
  saveImportProblems: () => call<string | null>("save_import_problems"),
  /** The Dashboard's figures; `measure` null: the data's own (see `Dashboard.measure`). */
  getDashboard: (measure: Measure | null, filter: Filter) => call<Dashboard>("get_dashboard", { measure, filter }),
  /** A chart drawn for the screen (SVG) with its hover regions. */
  renderChart: (request: ChartRequest) => call<ChartImage>("render_chart", { request }),
  /** Saves a chart where the owner chooses; `.svg` gives SVG, anything else PNG. */
  exportChart: (request: ChartRequest) => call<string | null>("export_chart", { request }),
  /** Puts the chart on the clipboard as an image, to paste into WPS,
   * PowerPoint or WeChat. */
  copyChart: (request: ChartRequest) => call<void>("copy_chart", { request }),
  /** Saves the ranked customer table as CSV or XLSX (by the chosen extension). */
  exportRanking: (measure: Measure, filter: Filter, lang: Lang) => call<string | null>("export_ranking", { measure, filter, lang }),
  /** The Key accounts page: accounts and candidates. */
  listAccounts: () => call<Overview>("list_accounts"),
  /** One change to one account; returns the account as it is now. */
  changeAccount: (id: number, change: Change) => call<AccountView>("change_account", { id, change }),
  /** The Dashboard's This week: actions, touches, birthdays, holidays. */
  thisWeek: () => call<Array<DueItem>>("this_week"),
  /** A key account's notebook. */
  getNotebook: (id: number) => call<NotebookView>("get_notebook", { id }),
  /** One change to a notebook; returns the notebook as it is now. */
  changeNotebook: (id: number, change: NotebookChange) => call<NotebookView>("change_notebook", { id, change }),
  /** An account's relationship map for the screen (SVG). */
  renderRelationshipMap: (id: number, width: number, height: number) => call<ChartImage>("render_relationship_map", { id, width, height }),
  /** Saves an account's relationship map where the owner chooses: PNG at
   * 1920×1080 for a projector, or SVG. */
  exportRelationshipMap: (id: number) => call<string | null>("export_relationship_map", { id }),
  /** The latest overall satisfaction score averaged over the key accounts
   * surveyed (every notebook is read: asked for by the Satisfaction tab only). */
  getSatisfactionAverage: () => call<number | null>("get_satisfaction_average"),
  /** The search box (Ctrl+K). */
  search: (query: string) => call<Array<SearchHit>>("search", { query }),
  /** The holidays to call before. */
  listHolidays: () => call<Array<Holiday>>("list_holidays"),
  /** Replaces the list of holidays. */
  setHolidays: (holidays: Array<Holiday>) => call<Array<Holiday>>("set_holidays", { holidays }),
  /** Every customer's segments, for the Customers table. */
  getSegments: (asOf: string | null, windows: Windows) => call<Segments>("get_segments", { asOf, windows }),
  /** The segment summary chart for the screen (SVG). */
  renderSegmentChart: (asOf: string | null, windows: Windows, width: number, height: number) => call<ChartImage>("render_segment_chart", { asOf, windows, width, height }),
  /** Saves the segment summary chart: PNG at 1920×1080, or SVG. */
  exportSegmentChart: (asOf: string | null, windows: Windows) => call<string | null>("export_segment_chart", { asOf, windows }),
  /** The Dashboard's risk panel. */
  getRisk: () => call<Risk>("get_risk"),
  /** Saves customers, key accounts or contacts as XLSX or CSV (by the
   * chosen extension), in the UI's language: the rows and columns the
   * table shows (`selection`), under the dialog title the UI gives (it
   * says how many). */
  exportTable: (kind: ExportKind, selection: Selection, title: string | null) => call<string | null>("export_table", { kind, selection, title }),
  /** The health of one key account. */
  getHealth: (id: number) => call<Health | null>("get_health", { id }),
  /** The whitespace of one key account (`id`) or of all, with the grid. */
  getWhitespace: (id: number | null) => call<Whitespace>("get_whitespace", { id }),
  /** Every key account's cost to serve at the owner's rate. */
  getCostToServe: () => call<CostView>("get_cost_to_serve"),
  /** Sets the value of an hour of the owner's time. */
  setHourlyRate: (rate: number) => call<number>("set_hourly_rate", { rate }),
  /** The whale curve of profit after cost to serve, for the screen (SVG). */
  renderCostWhale: (width: number, height: number) => call<ChartImage>("render_cost_whale", { width, height }),
  /** Saves the whale curve of profit after cost to serve (PNG 1920×1080 or SVG). */
  exportCostWhale: () => call<string | null>("export_cost_whale"),
  /** File ▸ Export meeting pack…: the PDF where the owner chooses (null:
   * cancelled), with `pack-progress` events while it is built. */
  exportPack: (request: PackRequest) => call<string | null>("export_pack", { request }),
  /** Writes a backup where the owner chooses (null: cancelled). */
  backupNow: () => call<BackupInfo | null>("backup_now"),
  /** *Start with no data* on the recovery screen: an empty store replaces
   * the refused one, which is kept aside. */
  startEmpty: () => call<boolean>("start_empty"),
  /** The automatic, daily and manual backups in the backups folder. */
  listBackups: () => call<Array<BackupInfo>>("list_backups"),
  /** A backup file the owner picks (null: cancelled). */
  pickBackupFile: () => call<string | null>("pick_backup_file"),
  /** Replaces the store with a backup, with `restore-progress` events. */
  restoreBackup: (path: string) => call<BackupInfo>("restore_backup", { path }),
  /** What the recovery screen shows (null: the store is fine). */
  getRecovery: () => call<Recovery | null>("get_recovery"),
  /** Help ▸ Check the data…: every record and every chunk of sales lines
   * read and verified, as `vitalfew check` does. */
  checkStore: () => call<CheckReport>("check_store"),
  /** Opens the store in another folder the owner picks (null: cancelled). */
  openOtherFolder: () => call<string | null>("open_other_folder"),
  /** The team as this PC sees it (null: a solo owner). */
  getTeam: () => call<TeamStatus | null>("get_team"),
  /** Makes `folder` a new team's folder, with this PC as `member`. */
  createTeam: (folder: string, name: string, member: string, passphrase: string) => call<TeamStatus>("create_team", { folder, name, member, passphrase }),
  /** Joins the team whose folder is `folder` (also how a member takes a new passphrase). */
  joinTeam: (folder: string, member: string, passphrase: string) => call<TeamStatus>("join_team", { folder, member, passphrase }),
  /** One sync with the team folder. */
  syncTeam: () => call<SyncReport>("sync_team"),
  /** Shares a key account with the team, or keeps it private. */
  shareAccount: (customer: number, shared: boolean) => call<TeamStatus>("share_account", { customer, shared }),
  /** A new team passphrase (after a member left). */
  rekeyTeam: (passphrase: string) => call<TeamStatus>("rekey_team", { passphrase }),
  /** The team folder the owner picks (null: cancelled). */
  pickTeamFolder: () => call<string | null>("pick_team_folder"),
};
