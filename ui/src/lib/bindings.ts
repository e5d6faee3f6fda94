// Generated from the Rust types by `make bindings` (src-tauri/bindings.rs).
// Do not edit: tests/bindings.rs fails when this file is stale.

export type ApiError = { code: ErrorCode, message: string, };

export type ErrorCode = "store_locked" | "schema_too_new" | "store_open" | "storage" | "corrupt" | "no_data_dir" | "invalid_argument" | "gui" | "output";

export type Lang = "en" | "zh-CN";

export type StoreInfo = { version: string, data_dir: string, schema_version: number, customers: number, sales_lines: number, accounts: number, };

export type UiPrefs = { language: Lang, };

export const ERROR_CODES: readonly ErrorCode[] = ["store_locked", "schema_too_new", "store_open", "storage", "corrupt", "no_data_dir", "invalid_argument", "gui", "output"];
