// Generated from the Rust types by `make bindings` (src-tauri/gui/bindings.rs).
// Do not edit: tests/bindings.rs fails when this file is stale.

export type ApiError = { code: ErrorCode, message: string, detail: Msg, };

export type Msg = { key: string, params: { [key in string]: Arg }, };

export type Arg = string | Msg;

export type ErrorCode = "store_locked" | "schema_too_new" | "store_open" | "store_damaged" | "backup" | "storage" | "corrupt" | "no_data_dir" | "invalid_argument" | "gui" | "output" | "import" | "cancelled" | "not_found";

export type Lang = "en" | "zh-CN";

export type StoreInfo = { version: string, data_dir: string, schema_version: number, customers: number, sales_lines: number, accounts: number, };

export type UiPrefs = { language: Lang, currency: string, };

export type CustomerRow = { id: number, ext_id: string | null, name: string, 
/**
 * Names it had before (searchable); left out when there are none, so
 * `customers --json` of a store without any stays as it was.
 */
former_names?: Array<string>, revenue: number, cost: number | null, 
/**
 * `None` when neither profit nor cost is known.
 */
profit: number | null, 
/**
 * profit / revenue, when both are known and revenue is not zero.
 */
margin: number | null, orders: number, 
/**
 * ISO dates (YYYY-MM-DD).
 */
first_purchase: string | null, last_purchase: string | null, region: string | null, industry: string | null, attributes: { [key in string]: string }, };

export type Shape = "customer_table" | "sales_ledger";

export type SourceKind = "generic" | "fapiao" | "taobao" | "1688" | "quickbooks" | "shopify" | "stripe";

export type SavedMapping = { 
/**
 * Identifies the headers (see `import::remembered::signature`).
 */
signature: string, 
/**
 * Each column's header and field (`null`: kept as an attribute).
 */
columns: Array<[string, Field | null]>, };

export type ImportRecord = { id: number, file_name: string, 
/**
 * RFC 3339.
 */
at: string, shape: Shape, rows: number, customers: number, new_customers: number, 
/**
 * Sales lines this import added.
 */
sales_lines: number, skipped: number, 
/**
 * BLAKE3 of the file's bytes.
 */
checksum: string, 
/**
 * The program the file came from, as recognised.
 */
source: SourceKind, 
/**
 * The mapping the owner corrected for this file, remembered for files
 * with the same headers until forgotten.
 */
mapping?: SavedMapping, };

export type Field = "customer_id" | "customer_name" | "revenue" | "cost" | "profit" | "date" | "order_id" | "quantity" | "product" | "category" | "region" | "industry" | "orders" | "unit_price" | "discount" | "refunded" | "ignore";

export type TextEncoding = "utf8" | "utf16le" | "utf16be" | "gb18030";

export type DateOrder = "day_first" | "month_first";

export type ImportOptions = { encoding?: TextEncoding, sheet?: string, 
/**
 * 1-based row number of the header row.
 */
header_row?: number, 
/**
 * One entry per column; `null` keeps the column as a custom attribute.
 */
mapping?: Array<Field | null>, date_order?: DateOrder, 
/**
 * How a text file's fields are separated.
 */
delimiter?: Delimiter, decimal?: DecimalMark, 
/**
 * Add lines that look like sales an earlier import stored (the same
 * order, date and amount: see `ImportPreview::duplicates`) anyway.
 */
keep_duplicates?: boolean, 
/**
 * The program the file comes from; `None` recognises it (`--source auto`).
 */
source?: SourceKind, 
/**
 * Import rows whose status says they are no sale (closed, refunded…)
 * anyway: see `ImportPreview::excluded`.
 */
keep_excluded?: boolean, };

export type ImportProgress = { rows: number, 
/**
 * 0..=1
 */
fraction: number, per_second: number, };

export type RowProblem = { row: number, 
/**
 * Column letter and header, e.g. `C (销售额)`; empty for the whole row.
 */
column: string, value: string, 
/**
 * Why, in English (the command line's `--json`).
 */
reason: string, 
/**
 * Why, as the window says it.
 */
message: Msg, };

export type Delimiter = "comma" | "semicolon" | "tab" | "pipe" | "space";

export type DecimalMark = "point" | "comma";

export type Kept = "field" | "attribute" | "per_line" | "ignored";

export type CheckCode = "one_column" | "names_look_like_lines" | "no_amount_column" | "many_skipped" | "outside_table";

export type FileCheck = { code: CheckCode, 
/**
 * A blocking check keeps the import from being committed.
 */
blocking: boolean, 
/**
 * The column it is about, as `C (Sales)`, if any.
 */
column: string | null, 
/**
 * How many rows it concerns, of how many.
 */
count: number, total: number, 
/**
 * The most common reason rows were skipped (for `many_skipped`), or
 * the cells outside the table (`outside_table`).
 */
detail: string | null, 
/**
 * `detail` as the window says it, when it is a message.
 */
detail_message?: Msg, };

export type ColumnPreview = { index: number, letter: string, header: string, field: Field | null, 
/**
 * What happens to the column's values.
 */
kept: Kept, samples: Array<string>, };

export type Exclusion = "closed" | "cancelled" | "refunded" | "failed" | "voided" | "unpaid";

export type ExcludedRows = { reason: Exclusion, rows: number, 
/**
 * What they were worth (their revenue before any refund), summed.
 */
amount: number, };

export type ImportRule = { 
/**
 * The rule's name (the message's key without `import.rule.`).
 */
code: string, message: Msg, };

export type RememberedMapping = { 
/**
 * The import that remembered it: `vitalfew mappings forget ID`.
 */
id: number, file_name: string, 
/**
 * When (RFC 3339).
 */
at: string, source: SourceKind, signature: string, 
/**
 * Each column's header and field (`null`: kept as an attribute).
 */
columns: Array<[string, Field | null]>, };

export type ImportPreview = { file_name: string, 
/**
 * `delimited` or `workbook`.
 */
format: string, encoding: TextEncoding | null, detected_encoding: TextEncoding | null, 
/**
 * How a text file's fields were split, and what was detected.
 */
delimiter: Delimiter | null, detected_delimiter: Delimiter | null, 
/**
 * How numbers such as 1.234,56 were read.
 */
decimal: DecimalMark, 
/**
 * True when the file's numbers showed the mark.
 */
decimal_evident: boolean, sheets: Array<string>, sheet: string | null, header_row: number, columns: Array<ColumnPreview>, shape: Shape, 
/**
 * How dates like 03/04/2024 were read; `None` when the file has none.
 */
date_order: DateOrder | null, 
/**
 * True when the file itself showed the order (a day above 12 somewhere).
 */
date_order_evident: boolean, rows: number, customers: number, new_customers: number, 
/**
 * Customers already stored whose details this import changes.
 */
changed_customers: number, 
/**
 * Valid sales lines in the file.
 */
sales_lines: number, 
/**
 * Of those, lines not stored yet.
 */
new_lines: number, revenue: number, 
/**
 * `None` when the file has neither a profit nor a cost column.
 */
profit: number | null, skipped: number, errors: Array<RowProblem>, 
/**
 * Not errors, but worth a look (e.g. one customer ID with two names).
 */
warnings: Array<RowProblem>, 
/**
 * Likely wrong readings of the whole file; a blocking one keeps the
 * import from being committed.
 */
checks: Array<FileCheck>, 
/**
 * Lines not stored yet that look like sales an earlier import stored:
 * the same order number, date and amount to the cent (and product when
 * both lines have one), whatever the customer's spelling — the same
 * ledger in another format. Not added unless the options'
 * `keep_duplicates` says so; lines without an order number are never
 * matched this way.
 */
duplicates: number, 
/**
 * The earlier imports those sales came from, most lines first.
 */
duplicates_from: Array<{ import: number, file_name: string, lines: number }>, 
/**
 * Whether they are added anyway (then counted in `new_lines`).
 */
duplicates_added: boolean, 
/**
 * The program the file comes from, as recognised or chosen.
 */
source: SourceKind, 
/**
 * What was recognised, whatever was chosen.
 */
detected_source: SourceKind, 
/**
 * How the file was read beyond its columns' mapping: the source's
 * meaning, group rows, red-letter invoices, renamed buyers, refunds.
 */
rules: Array<ImportRule>, 
/**
 * Rows left out because their status says they are no sale, by reason.
 */
excluded: Array<ExcludedRows>, 
/**
 * Whether those rows are imported anyway (the options' `keep_excluded`).
 */
excluded_kept: boolean, 
/**
 * The remembered mapping this file was read with, if any.
 */
remembered: RememberedMapping | null, };

export type OpenProblem = "unsupported" | "missing" | "not_a_file";

export type OpenedFile = { path: string, file_name: string, problem: OpenProblem | null, };

export type Measure = "profit" | "revenue" | "margin";

export type Filter = { 
/**
 * Inclusive ISO dates.
 */
from?: string, to?: string, region?: string, industry?: string, 
/**
 * Only key accounts.
 */
key_only?: boolean, 
/**
 * Only key accounts of this (confirmed) type.
 */
account_type?: AccountType, };

export type Thresholds = { a: number, b: number, };

export type ClassStat = { count: number, 
/**
 * Share of the total; `None` when the total is not positive.
 */
share: number | null, };

export type Abc = { a: ClassStat, b: ClassStat, c: ClassStat, };

export type Concentration = { 
/**
 * Customers with a value (any sales in the period).
 */
customers: number, total: number, 
/**
 * Share of the total made by the ⌈0.2·n⌉ highest values; may exceed 1
 * when other customers lose money.
 */
top20_share: number | null, top20_count: number, 
/**
 * Smallest k whose cumulative value reaches 80% of the total.
 */
customers_for_80: number | null, 
/**
 * Customers with a value below zero, and their sum.
 */
unprofitable: number, unprofitable_total: number, 
/**
 * Highest cumulative share and the (1-based) rank where it is reached.
 */
whale_peak_share: number | null, whale_peak_at: number | null, 
/**
 * Gini coefficient of the non-negative values (losses left out).
 */
gini: number | null, 
/**
 * Herfindahl–Hirschman index of the non-negative values' shares (0–1).
 */
hhi: number | null, 
/**
 * The largest value's share of the total.
 */
largest_share: number | null, abc: Abc, thresholds: Thresholds, 
/**
 * Why shares are undefined, when they are (in English).
 */
na_reason: string | null, 
/**
 * The same, as the window says it.
 */
na_message?: Msg, };

export type Availability = { profit: boolean, margin: boolean, };

export type Dashboard = { measure: Measure, 
/**
 * The selected measure's figures.
 */
selected: Concentration, 
/**
 * Profit and revenue side by side (for "top 20% make 82% of profit but
 * only 48% of revenue").
 */
profit: Concentration, revenue: Concentration, 
/**
 * The revenue share of the same customers as `profit.top20_share` (the
 * top 20% by profit): "82% of profit but only 48% of revenue" is about
 * one group of customers.
 */
top20_revenue_share: number | null, 
/**
 * Share of the selected measure made by the five largest customers.
 */
top5_share: number | null, largest_name: string | null, availability: Availability, regions: Array<string>, industries: Array<string>, 
/**
 * First and last dated sale (ISO).
 */
date_range: [string, string] | null, };

export type ChartKind = "pareto" | "revenue_vs_profit" | "whale" | "lorenz" | "abc" | "trend";

export type ChartRequest = { kind: ChartKind, measure: Measure, filter: Filter, width: number, height: number, 
/**
 * PNG pixel density (1 or 2).
 */
scale: number, lang: Lang, 
/**
 * Shown before money values, e.g. "¥".
 */
currency: string, };

export type Region = { 
/**
 * The customer, for bars and points that are one customer.
 */
id: number | null, label: string, value: string, x: number, y: number, w: number, h: number, };

export type ChartImage = { svg: string, regions: Array<Region>, };

export type AccountType = "economic" | "important" | "group" | "strategic";

export type Phase = "establish" | "stabilize" | "strengthen";

export type CheckItem = "product_fit" | "central_purchasing" | "buys_continuously" | "scale_match" | "know_industry" | "delivery_service" | "satisfaction_survey" | "complaints_handled" | "regular_visits" | "long_term_agreement" | "added_value_services" | "top_management_contact" | "co_development" | "customer_events";

export type Reason = string;

export type Answers = { 
/**
 * They ask for the lowest price and decide fast (case A).
 */
asked_price: boolean, 
/**
 * They ask about service, installation and maintenance guidance (case B).
 */
asked_service: boolean, 
/**
 * They ask about cooperation, outsourcing, resource sharing, top-management coordination (case C).
 */
asked_cooperation: boolean, 
/**
 * Party/government, military, police/courts, culture, education, health, news.
 */
special_status: boolean, 
/**
 * Tied to us in the industry or value chain; they use our products.
 */
value_chain_tie: boolean, 
/**
 * The owner sees growth potential that competitors will go after.
 */
potential: boolean, };

export type Action = { id: number, text: string, due: string, done: string | null, 
/**
 * The team member who added it (empty for a solo owner's).
 */
by?: string, };

export type Event = { "kind": "promoted", at: string, 
/**
 * Checklist points that were ticked before and start over.
 */
cleared: Array<CheckItem>, 
/**
 * The team member who made it (empty for a solo owner's).
 */
by?: string, } | { "kind": "demoted", at: string, 
/**
 * The team member who made it (empty for a solo owner's).
 */
by?: string, } | { "kind": "type_set", at: string, account_type: AccountType, 
/**
 * What the app suggested at that moment.
 */
suggested: AccountType | null, 
/**
 * The team member who made it (empty for a solo owner's).
 */
by?: string, } | { "kind": "moved", at: string, from: Phase, phase: Phase, reason: Reason | null, note: string | null, 
/**
 * Checklist points of the phases started over by a fallback.
 */
cleared: Array<CheckItem>, 
/**
 * The team member who made it (empty for a solo owner's).
 */
by?: string, } | { "kind": "action_done", at: string, text: string, 
/**
 * The team member who made it (empty for a solo owner's).
 */
by?: string, };

export type Change = { "op": "promote" } | { "op": "demote" } | { "op": "set_answers", answers: Answers, } | { "op": "set_type", account_type: AccountType, suggested: AccountType | null, } | { "op": "tick", item: CheckItem, done: boolean, } | { "op": "move", phase: Phase, 
/**
 * Defaults to today.
 */
at?: string, reason?: Reason, note?: string, } | { "op": "add_action", text: string, due: string, } | { "op": "set_action_done", action: number, done: boolean, };

export type Signal = { "kind": "asked_price" } | { "kind": "asked_service" } | { "kind": "asked_cooperation" } | { "kind": "special_status" } | { "kind": "value_chain_tie" } | { "kind": "potential" } | { "kind": "sector", word: string, } | { "kind": "frequent", days: number, } | { "kind": "volume", share: number, } | { "kind": "growth", rate: number, };

export type Suggestion = { account_type: AccountType | null, signals: Array<Signal>, };

export type CandidateReason = { "kind": "a_class", rank: number, share: number, measure: Measure, } | { "kind": "continuous", years: Array<number>, };

export type Candidate = { id: number, name: string, profit: number | null, revenue: number, reasons: Array<CandidateReason>, };

export type ChecklistEntry = { item: CheckItem, phase: Phase, done: boolean, 
/**
 * Read from the sales data (the owner has not answered it).
 */
from_data: boolean, };

export type ChecklistCount = { done: number, total: number, };

export type AccountView = { id: number, name: string, ext_id: string | null, region: string | null, industry: string | null, active: boolean, 
/**
 * The type the owner confirmed.
 */
account_type: AccountType | null, suggestion: Suggestion, answers: Answers, phase: Phase, since: string, days_in_phase: number, checklist: Array<ChecklistEntry>, progress: ChecklistCount, 
/**
 * Suggested when the current phase's checklist is complete.
 */
next_phase: Phase | null, profit: number | null, revenue: number, 
/**
 * Years among the last three with a purchase.
 */
recent_years: Array<number>, actions: Array<Action>, next_action: Action | null, history: Array<Event>, };

export type Overview = { accounts: Array<AccountView>, 
/**
 * Demoted accounts (their history is kept).
 */
former: Array<AccountView>, candidates: Array<Candidate>, 
/**
 * All candidates, of which the first [`suggest::MAX_CANDIDATES`] are listed.
 */
candidates_total: number, 
/**
 * The latest dated sale: the data's "now".
 */
as_of: string | null, 
/**
 * What the accounts' figures are of: profit, or revenue when the files
 * have no profit (the page shows revenue then, and says why).
 */
measure: Measure, };

export type Kind = "auto" | "daily" | "manual" | "unknown";

export type Cause = { "op": "import", file: string, } | { "op": "undo", file: string, } | { "op": "restore", file: string, } | { "op": "migration", to: number, } | { "op": "daily" } | { "op": "manual" } | { "op": "unreadable" };

export type BackupInfo = { file: string, 
/**
 * RFC 3339, local time.
 */
created_at: string, kind: Kind, reason: string, cause: Cause, customers: number, sales_lines: number, accounts: number, notebooks: number, notebook_entries: number, bytes: number, schema_version: number, 
/**
 * Whether it can be restored: its whole file verifies (in lists that
 * checked it; a backup just written or restored is).
 */
ok: boolean, 
/**
 * Why it cannot be restored, one sentence (in English).
 */
problem?: string, 
/**
 * The same, as the window says it.
 */
problem_message?: Msg, };

export type Recovery = { 
/**
 * The language to show it in (the store's own choice cannot be read).
 */
language: Lang, data_dir: string, 
/**
 * What happened, one sentence.
 */
reason: Msg, 
/**
 * The store folder is missing or empty (rather than damaged).
 */
missing: boolean, 
/**
 * Every backup file of the data folder: the good ones newest first,
 * then the damaged ones.
 */
backups: Array<BackupInfo>, };

export type LunarDay = { month: number, day: number, };

export type Yearly = { "calendar": "solar", month: number, day: number, } | { "calendar": "lunar", month: number, day: number, };

export type Holiday = { 
/**
 * `new_year`, `spring_festival`, … for the defaults; the owner's own
 * get `own_<n>`.
 */
key: string, 
/**
 * The owner's own name for it (the defaults are named per language).
 */
name: string, date: Yearly, 
/**
 * How many days ahead it shows in This week.
 */
notice_days: number, };

export type Level = "operational" | "management" | "decision";

export type BuyingFunction = "user" | "technical" | "finance";

export type Attitude = "supporter" | "neutral" | "opponent";

export type Influence = "low" | "medium" | "high";

export type TouchKind = "visit" | "call" | "message" | "wechat" | "email" | "meeting";

export type ProjectStatus = "open" | "won" | "lost";

export type NeedStatus = "heard" | "explicit" | "answered";

export type Background = { organisation: string, 
/**
 * Departments that use, buy, and support what we sell.
 */
uses: string, buys: string, supports: string, industry: string, size: string, 
/**
 * Similar products they have installed.
 */
installed_base: string, };

export type Personal = { hometown: string, university: string, sports: string, food: string, family: string, pets: string, books: string, holidays: string, travel: string, goals: string, };

export type Contact = { id: number, name: string, title: string, department: string, phone: string, email: string, wechat: string, birthday: string | null, lunar_birthday: LunarDay | null, level: Level | null, function: BuyingFunction | null, attitude: Attitude | null, influence: Influence | null, reports_to: number | null, cares_about: string, personal: Personal, 
/**
 * The day they left the customer (kept on record).
 */
left_on: string | null, removed: boolean, };

export type Competitor = { id: number, name: string, product: string, 
/**
 * The customer's satisfaction with it, 1–5.
 */
satisfaction: number | null, 
/**
 * The competitor's sales rep and that rep's relationship with them.
 */
rep: string, rep_relationship: string, removed: boolean, };

export type Project = { id: number, name: string, 
/**
 * The problem the purchase must solve.
 */
problem: string, budget: number | null, timetable: string, 
/**
 * How they buy (tender, approvals, …).
 */
process: string, decision_makers: number[], influencers: number[], status: ProjectStatus, removed: boolean, };

export type Note = { id: number, date: string, text: string, 
/**
 * The team member who wrote it (empty for a solo owner's).
 */
by?: string, removed: boolean, };

export type Touch = { id: number, date: string, kind: TouchKind, contacts: number[], summary: string, 
/**
 * The next step; with `due`, it is also the account's next action.
 */
next: string, due: string | null, 
/**
 * Time spent (hours) and money spent (travel, gifts, entertainment).
 */
hours: number | null, cost: number | null, 
/**
 * The team member who wrote it (empty for a solo owner's).
 */
by?: string, removed: boolean, };

export type Gift = { id: number, contact: number, date: string, what: string, cost: number | null, reaction: string, removed: boolean, };

export type Need = { id: number, date: string, text: string, 
/**
 * Stated by the customer, or implicit (a complaint, a doubt).
 */
explicit: boolean, 
/**
 * Where it came from: a touch of this account, else free text.
 */
touch: number | null, source: string, status: NeedStatus, removed: boolean, };

export type Survey = { id: number, date: string, 
/**
 * Who answered (a contact of the account).
 */
contact: number | null, product: number, service: number, delivery: number, price: number, overall: number, comment: string, 
/**
 * The team member who wrote it (empty for a solo owner's).
 */
by?: string, removed: boolean, };

export type LoyaltyStatus = "loyal" | "ordinary" | "at_risk" | "lost";

export type LoyaltyReason = { "kind": "no_purchase" } | { "kind": "no_survey" } | { "kind": "low_score", overall: number, } | { "kind": "dropped", from: number, to: number, } | { "kind": "high_score", overall: number, } | { "kind": "middling", overall: number, };

export type Loyalty = { status: LoyaltyStatus, reason: LoyaltyReason, };

export type ItemKind = "background" | "competitor" | "project" | "note" | "contact" | "touch" | "gift" | "need" | "survey" | "cadence";

export type EditAction = "added" | "changed" | "removed" | "restored";

export type Edit = { 
/**
 * When (RFC 3339, local time).
 */
at: string, kind: ItemKind, item: number, action: EditAction, 
/**
 * What the item is called (a contact's name, a touch's summary).
 */
label: string, 
/**
 * The team member who made it (empty for a solo owner's).
 */
by?: string, };

export type Item = { "kind": "competitor", "item": Competitor } | { "kind": "project", "item": Project } | { "kind": "note", "item": Note } | { "kind": "contact", "item": Contact } | { "kind": "touch", "item": Touch } | { "kind": "gift", "item": Gift } | { "kind": "need", "item": Need } | { "kind": "survey", "item": Survey };

export type NotebookChange = { "op": "set_background", background: Background, } | { "op": "save", item: Item, } | { "op": "remove", kind: ItemKind, id: number, removed: boolean, } | { "op": "set_cadence", days: number | null, };

export type MapCell = { level: Level, function: BuyingFunction, contacts: number[], 
/**
 * The best attitude among them (a supporter anywhere makes it green).
 */
attitude: Attitude | null, };

export type MapGap = { level: Level, function: BuyingFunction, };

export type BuyingMap = { cells: Array<MapCell>, missing: Array<MapGap>, 
/**
 * A decision-level supporter is on record (who has not left).
 */
decision_supporter: boolean, };

export type ContactView = { last_touch: string | null, 
/**
 * The next birthday, lunar ones turned into a solar date.
 */
next_birthday: string | null, id: number, name: string, title: string, department: string, phone: string, email: string, wechat: string, birthday: string | null, lunar_birthday: LunarDay | null, level: Level | null, function: BuyingFunction | null, attitude: Attitude | null, influence: Influence | null, reports_to: number | null, cares_about: string, personal: Personal, 
/**
 * The day they left the customer (kept on record).
 */
left_on: string | null, removed: boolean, };

export type AccountHead = { id: number, ext_id: string | null, name: string, type: AccountType | null, phase: Phase, };

export type Dossier = { background: Background, competitors: Array<Competitor>, projects: Array<Project>, 
/**
 * Newest first.
 */
notes: Array<Note>, };

export type NotebookView = { account: AccountHead, dossier: Dossier, 
/**
 * Current contacts first (by level, decision first), then those who left.
 */
contacts: Array<ContactView>, buying_map: BuyingMap, 
/**
 * Newest first.
 */
touches: Array<Touch>, gifts: Array<Gift>, needs: Array<Need>, 
/**
 * The cadence in force, and whether the owner set it.
 */
cadence_days: number, cadence_set: boolean, last_touch: string | null, 
/**
 * The day the next touch is due.
 */
touch_due: string, 
/**
 * Days past `touch_due` (0 when not overdue).
 */
overdue_days: number, 
/**
 * Satisfaction surveys, oldest first, and the loyalty they show.
 */
surveys: Array<Survey>, loyalty: Loyalty, 
/**
 * Hours and money logged on touches and gifts.
 */
hours: number, spent: number, 
/**
 * Newest first.
 */
timeline: Array<Edit>, 
/**
 * Items removed, newest change first: each can be brought back.
 */
removed: Array<Edit>, 
/**
 * On a team: fields two members set while apart (left out when none).
 */
conflicts?: Array<Conflict>, };

export type DueKind = "action" | "touch" | "birthday" | "holiday";

export type DueItem = { date: string, kind: DueKind, 
/**
 * The key account (customer id); none for a holiday.
 */
account: number | null, contact: number | null, 
/**
 * What it is: the action, "touch (every 14 days)", the contact's name,
 * the holiday's name.
 */
text: string, 
/**
 * The account's name (empty for a holiday).
 */
account_name: string, 
/**
 * For an action, its id (to tick it off).
 */
action: number | null, 
/**
 * Days it is late (0 when it is not).
 */
overdue_days: number, 
/**
 * On a team, whose it is: who added the action, else who last touched
 * the account (This week's "mine"). Left out when no one's.
 */
by?: string, };

export type HitKind = "customer" | "account" | "contact" | "note" | "touch";

export type SearchHit = { kind: HitKind, 
/**
 * The customer (or key account) it belongs to.
 */
customer: number, customer_name: string, 
/**
 * A contact's or a note's or a touch's id within the notebook.
 */
item: number | null, 
/**
 * What matched, shortened around the match.
 */
text: string, };

export type Windows = { 
/**
 * Bought within this many days: active.
 */
active_days: number, 
/**
 * First bought within this many days: new.
 */
new_days: number, };

export type Lifecycle = "potential" | "new" | "active" | "churned";

export type Segment = "champions" | "loyal" | "potential_loyalists" | "new" | "at_risk" | "cant_lose" | "hibernating" | "lost";

export type Band = "high" | "mid" | "low";

export type Rfm = { r: number, f: number, m: number, segment: Segment, frequency: Band, spend: Band, 
/**
 * Days since the last purchase, purchase days, revenue.
 */
recency_days: number, purchase_days: number, revenue: number, };

export type Class = "A" | "B" | "C";

export type CustomerSegment = { id: number, lifecycle: Lifecycle, 
/**
 * RFM scores and segment; `None` for a customer who never bought.
 */
rfm: Rfm | null, 
/**
 * Class among all customers (ABC by profit; by revenue when no line
 * has a profit: `Segments::measure`).
 */
class: Class | null, };

export type LifecycleCounts = { potential: number, new: number, active: number, churned: number, };

export type BandCounts = { high: number, mid: number, low: number, };

export type Bands = { frequency: BandCounts, spend: BandCounts, };

export type SegmentStat = { segment: Segment, count: number, profit: number, 
/**
 * Of the total profit of customers who bought (`None` when that total
 * is not positive).
 */
profit_share: number | null, };

export type Segments = { as_of: string, 
/**
 * What the classes and shares are of: profit, or revenue when no line
 * has a profit.
 */
measure: Measure, windows: Windows, lifecycle: LifecycleCounts, bands: Bands, stats: Array<SegmentStat>, customers: Array<CustomerSegment>, };

export type AccountRisk = { id: number, ext_id: string | null, name: string, profit: number, 
/**
 * Of the total profit of all customers (`None` when that total is not
 * positive).
 */
profit_share: number | null, 
/**
 * Decision-level supporters still with the customer.
 */
decision_supporters: number, };

export type PersonAccount = { account: number, account_name: string, contact: number, profit_share: number | null, last_touch: string | null, };

export type PersonRisk = { name: string, 
/**
 * (account, contact id) pairs.
 */
accounts: Array<PersonAccount>, profit_share: number | null, 
/**
 * The latest touch with them in any of those accounts.
 */
last_touch: string | null, };

export type Risk = { measure: Measure, accounts: Array<AccountRisk>, people: Array<PersonRisk>, };

export type ExportKind = "customers" | "accounts" | "contacts";

export type SortBy = "profit" | "revenue" | "name";

export type Selection = { 
/**
 * The rows shown, by customer id, in the order shown.
 */
ids?: Array<number>, 
/**
 * The columns shown (customers: keys of `export::tables::CUSTOMER_COLUMNS`).
 */
columns?: Array<string>, segment?: Segment, stage?: Lifecycle, sort?: SortBy, limit?: number, };

export type CostToServe = { id: number, ext_id: string | null, name: string, profit: number, 
/**
 * Hours logged on touches.
 */
hours: number, 
/**
 * Money logged on touches and gifts.
 */
expenses: number, 
/**
 * Hours at the owner's rate, plus expenses.
 */
cost_to_serve: number, profit_after: number, };

export type CostView = { rate: number, accounts: Array<CostToServe>, };

export type PartKey = "recency" | "revenue_trend" | "margin_trend" | "satisfaction" | "touch" | "coverage" | "actions";

export type HealthPart = { key: PartKey, 
/**
 * 0–100.
 */
score: number, 
/**
 * 0 when the part has nothing on record to judge (it is left out of
 * the score, and its reason says so).
 */
weight: number, reason: string, };

export type Health = { id: number, ext_id: string | null, name: string, 
/**
 * 0–100: the parts' scores, weighted; at most the top of the red band
 * when a cap holds it.
 */
score: number, parts: Array<HealthPart>, 
/**
 * The parts' scores weighted, before any cap.
 */
weighted: number, band: "green" | "amber" | "red", thresholds: { green: number, amber: number, }, 
/**
 * Why the score is held in the red band; empty when nothing holds it.
 */
caps: Array<{ key: "loyalty_lost" | "revenue_halved", reason: string, }>, };

export type GridRow = { id: number, name: string, 
/**
 * Revenue per category, in the order of [`Grid::categories`].
 */
revenue: Array<number>, };

export type Grid = { categories: Array<string>, accounts: Array<GridRow>, };

export type Gap = { id: number, ext_id: string | null, category: string, peers_buying: number, peers_total: number, 
/**
 * What the peers who buy it spent on it.
 */
peer_revenue: number, reason: string, };

export type Whitespace = { grid: Grid, gaps: Array<Gap>, 
/**
 * The accounts (of those asked for) that have no peers to compare with.
 */
no_peers: Array<{ id: number, reason: string, }>, };

export type PackRequest = { 
/**
 * Inclusive ISO dates; none: all dates.
 */
from?: string, to?: string, 
/**
 * The key accounts (customer ids) to put in the table and give a page
 * each, in the pack's order (most profitable first); none: all.
 */
accounts?: Array<number>, lang?: Lang, };

export type PackProgress = { done: number, total: number, };

export type CheckReport = { ok: boolean, 
/**
 * Each problem, one sentence.
 */
problems: Array<string>, 
/**
 * Entries per tree.
 */
trees: Record<string, number>, sales_lines: number, 
/**
 * How the open found the folder: `matched` (byte for byte as the
 * manifest of its last clean close says), `recovered` (after an
 * unclean session, checked against the last manifest), `unrecorded`
 * (no manifest: checked whole).
 */
opened?: Opened, };

export type Conflict = { 
/**
 * What holds the field: a contact's name, a touch's summary, the part
 * of the page (`background`), or the account's name.
 */
item: string, 
/**
 * The field as stored (`phone`, `phase`).
 */
field: string, shown: string, shown_by: string, other: string, other_by: string, 
/**
 * When the other member last changed that item (RFC 3339), when known.
 */
other_at: string | null, };

export type MemberStatus = { name: string, 
/**
 * When they last changed something the team shares (RFC 3339).
 */
last_change: string | null, 
/**
 * When their PC last synced with the folder.
 */
last_sync: string | null, 
/**
 * Not synced for a week (or never).
 */
stale: boolean, };

export type Opened = "matched" | "recovered" | "unrecorded";

export type SharedAccount = { customer: number, name: string, shared: boolean, };

export type SyncReport = { 
/**
 * Documents with changes of this PC's that went out.
 */
sent: number, 
/**
 * Documents that took in others' changes.
 */
received: number, 
/**
 * Chunks that did not open yet (still syncing): tried at the next sync.
 */
pending: number, 
/**
 * Shared accounts whose customer is not on this PC yet.
 */
waiting: number, 
/**
 * Whether key accounts, notebooks or sales data here changed.
 */
changed: boolean, 
/**
 * Import batches of other members taken in, and those that could not
 * be imported here (each named with its reason).
 */
imported: number, not_imported: Array<string>, };

export type TeamStatus = { team: string, member: string, folder: string, members: Array<MemberStatus>, 
/**
 * Key accounts this PC shares with the team.
 */
shared_accounts: number, 
/**
 * Changes not through yet: this PC's not yet sent, and others' chunks
 * still syncing into the folder.
 */
pending: number, 
/**
 * When this PC last synced (RFC 3339).
 */
last_sync: string | null, 
/**
 * Shared accounts whose customer has no sales data on this PC yet.
 */
waiting: number, 
/**
 * This PC's key accounts, each shared or kept private.
 */
accounts: Array<SharedAccount>, };

export const ERROR_CODES: readonly ErrorCode[] = ["store_locked", "schema_too_new", "store_open", "store_damaged", "backup", "storage", "corrupt", "no_data_dir", "invalid_argument", "gui", "output", "import", "cancelled", "not_found"];

export const FIELDS: readonly Field[] = ["customer_id", "customer_name", "revenue", "cost", "profit", "date", "order_id", "quantity", "product", "category", "region", "industry", "orders", "unit_price", "discount", "refunded", "ignore"];

export const SOURCE_KINDS: readonly SourceKind[] = ["fapiao", "taobao", "1688", "quickbooks", "shopify", "stripe", "generic"];

export const CHART_KINDS: readonly ChartKind[] = ["pareto", "revenue_vs_profit", "whale", "lorenz", "abc", "trend"];

export const ACCOUNT_TYPES: readonly AccountType[] = ["economic", "important", "group", "strategic"];

export const PHASES: readonly Phase[] = ["establish", "stabilize", "strengthen"];

export const CHECK_ITEMS: readonly CheckItem[] = ["product_fit", "central_purchasing", "buys_continuously", "scale_match", "know_industry", "delivery_service", "satisfaction_survey", "complaints_handled", "regular_visits", "long_term_agreement", "added_value_services", "top_management_contact", "co_development", "customer_events"];

export const REASON_CODES: readonly string[] = ["market_change", "their_personnel", "our_personnel"];

export const TEXT_ENCODINGS: readonly TextEncoding[] = ["utf8", "utf16le", "utf16be", "gb18030"];

export const DELIMITERS: readonly Delimiter[] = ["comma", "semicolon", "tab", "pipe", "space"];

export const LEVELS: readonly Level[] = ["operational", "management", "decision"];

export const BUYING_FUNCTIONS: readonly BuyingFunction[] = ["user", "technical", "finance"];

export const ATTITUDES: readonly Attitude[] = ["supporter", "neutral", "opponent"];

export const INFLUENCES: readonly Influence[] = ["low", "medium", "high"];

export const TOUCH_KINDS: readonly TouchKind[] = ["visit", "call", "message", "wechat", "email", "meeting"];

export const SEGMENTS: readonly Segment[] = ["champions", "loyal", "potential_loyalists", "new", "at_risk", "cant_lose", "hibernating", "lost"];
