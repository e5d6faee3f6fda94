import { describe, expect, it } from "vitest";
import type { AccountView, CustomerRow } from "./bindings";
import { columns, findCustomer, isFallback, reasonText, scopeFilter } from "./accounts";

const account = (id: number, phase: AccountView["phase"], account_type: AccountView["account_type"]) =>
  ({ id, phase, account_type }) as AccountView;

describe("isFallback", () => {
  it("is any move to an earlier phase", () => {
    expect(isFallback("strengthen", "establish")).toBe(true);
    expect(isFallback("stabilize", "establish")).toBe(true);
    expect(isFallback("strengthen", "stabilize")).toBe(true);
    expect(isFallback("establish", "strengthen")).toBe(false);
    expect(isFallback("stabilize", "strengthen")).toBe(false);
  });
});

describe("columns", () => {
  const list = [account(1, "establish", "economic"), account(2, "stabilize", null), account(3, "establish", "strategic")];
  it("groups by phase, keeping order", () => {
    const c = columns(list, "all");
    expect(c.establish.map((a) => a.id)).toEqual([1, 3]);
    expect(c.stabilize.map((a) => a.id)).toEqual([2]);
    expect(c.strengthen).toEqual([]);
  });
  it("filters by type or by a missing type", () => {
    expect(columns(list, "strategic").establish.map((a) => a.id)).toEqual([3]);
    expect(columns(list, "unset").stabilize.map((a) => a.id)).toEqual([2]);
    expect(columns(list, "unset").establish).toEqual([]);
  });
});

describe("findCustomer", () => {
  const c = (id: number, name: string, ext_id: string | null) => ({ id, name, ext_id }) as CustomerRow;
  const all = [c(1, "Acme Ltd", "C001"), c(2, "华东钢铁", null), c(12, "1", null)];
  it("matches a name in any case, then the owner's ID, then our id", () => {
    expect(findCustomer(all, " acme ltd ")?.id).toBe(1);
    expect(findCustomer(all, "c001")?.id).toBe(1);
    expect(findCustomer(all, "华东钢铁")?.id).toBe(2);
    expect(findCustomer(all, "1")?.id).toBe(12);
    expect(findCustomer(all, "12")?.id).toBe(12);
    expect(findCustomer(all, "Acme")).toBeUndefined();
    expect(findCustomer(all, "  ")).toBeUndefined();
  });
});

describe("reasonText and scopeFilter", () => {
  it("labels listed reasons and keeps the owner's words", () => {
    expect(reasonText("market_change", (k) => `<${k}>`)).toBe("<market_change>");
    expect(reasonText("new buyer", (k) => `<${k}>`)).toBe("new buyer");
  });
  it("maps the dashboard scope to filter fields", () => {
    expect(scopeFilter("all")).toEqual({});
    expect(scopeFilter("key")).toEqual({ key_only: true });
    expect(scopeFilter("group")).toEqual({ account_type: "group" });
  });
});
