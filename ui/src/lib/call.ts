// Every IPC call goes through `call`, which normalizes failures to an
// ApiError-like value (`toError`).
import { invoke } from "@tauri-apps/api/core";
import { ERROR_CODES } from "./bindings";
import { tm } from "./locale.svelte";
import type { ApiError, ErrorCode } from "./bindings";

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

export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toError(e);
  }
}
