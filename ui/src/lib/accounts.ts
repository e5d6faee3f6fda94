// Key-account helpers for the board and the account page (pure; unit-tested).
import { PHASES, REASON_CODES } from "./bindings";
import type { AccountType, AccountView, CustomerRow, Filter, Phase } from "./bindings";

/** Moving to an earlier phase is a fallback: it needs a reason. */
export function isFallback(from: Phase, to: Phase): boolean {
  return PHASES.indexOf(to) < PHASES.indexOf(from);
}

/** Board filter: every account, one type, or those whose type is not confirmed. */
export type TypeFilter = AccountType | "all" | "unset";

/** The board's columns: accounts passing the filter, by phase, in the given order. */
export function columns(accounts: AccountView[], filter: TypeFilter): Record<Phase, AccountView[]> {
  const out = Object.fromEntries(PHASES.map((p) => [p, [] as AccountView[]])) as Record<Phase, AccountView[]>;
  for (const a of accounts) {
    const keep = filter === "all" || (filter === "unset" ? a.account_type === null : a.account_type === filter);
    if (keep) out[a.phase].push(a);
  }
  return out;
}

/** The customer the owner typed: exact name (any case), their own ID, or our id. */
export function findCustomer(customers: CustomerRow[], text: string): CustomerRow | undefined {
  const q = text.trim().toLowerCase();
  if (!q) return undefined;
  return (
    customers.find((c) => c.name.toLowerCase() === q) ??
    customers.find((c) => c.ext_id?.toLowerCase() === q) ??
    customers.find((c) => String(c.id) === q)
  );
}

/** A stored reason as a catalog key (a listed reason) or the owner's own words. */
export function reasonText(reason: string, label: (code: string) => string): string {
  return REASON_CODES.includes(reason) ? label(reason) : reason;
}

/** Dashboard scope: all customers, key accounts, or key accounts of one type. */
export type Scope = "all" | "key" | AccountType;

export function scopeFilter(scope: Scope): Pick<Filter, "key_only" | "account_type"> {
  if (scope === "all") return {};
  if (scope === "key") return { key_only: true };
  return { account_type: scope };
}
