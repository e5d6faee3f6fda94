import { describe, expect, it } from "vitest";
import { isApiError, toError } from "./api";

describe("IPC errors", () => {
  it("recognizes {code, message} from Rust", () => {
    const e = { code: "store_locked", message: "in use" };
    expect(isApiError(e)).toBe(true);
    expect(toError(e)).toEqual(e);
  });

  it("wraps anything else as unexpected, keeping its text", () => {
    expect(isApiError({ code: "nope", message: "x" })).toBe(false);
    expect(toError("command get_info not allowed")).toEqual({
      code: "unexpected",
      message: "command get_info not allowed",
    });
    expect(toError(new Error("boom")).message).toBe("boom");
  });
});
