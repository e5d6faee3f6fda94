// The team as the window knows it: the status File ▸ Team… and the sidebar
// show, and a counter the pages watch to read again what a sync changed.
import type { TeamStatus } from "./bindings";
import type { MessageKey } from "./i18n";

export const team = $state<{ status: TeamStatus | null; version: number; problem: string | null }>({ status: null, version: 0, problem: null });

/** Minutes between two syncs while the window is open. */
export const SYNC_MINUTES = 2;

/** Seconds after a change saved here before it goes out to the team. */
export const SEND_SECONDS = 5;

let syncer: (() => void) | null = null;
let soon: ReturnType<typeof setTimeout> | null = null;

/** What runs a sync (the shell registers it). */
export function onSync(sync: () => void) {
  syncer = sync;
}

/** A change was saved here: on a team it goes out within a few seconds
 * (several changes in a row, in one sync). */
export function changedHere() {
  if (!team.status || !syncer) return;
  if (soon) clearTimeout(soon);
  soon = setTimeout(() => {
    soon = null;
    syncer?.();
  }, SEND_SECONDS * 1000);
}

/** The label of a field a conflict names (its stored name when unknown). */
export function fieldLabel(field: string): MessageKey | null {
  const known: Record<string, MessageKey> = {
    name: "people.name",
    title: "people.job_title",
    department: "people.department",
    phone: "people.phone",
    email: "people.email",
    wechat: "people.wechat",
    birthday: "people.birthday",
    level: "people.level",
    function: "people.function",
    attitude: "people.attitude",
    influence: "people.influence",
    reports_to: "people.reports_to",
    cares_about: "people.cares_about",
    left_on: "people.left",
    summary: "touch.summary",
    phase: "team.field.phase",
    account_type: "team.field.type",
  };
  return known[field] ?? null;
}

/** The members whose PC has not synced for a week, this PC left out. */
export function staleMembers(status: TeamStatus): string[] {
  return status.members.filter((m) => m.stale && m.name !== status.member).map((m) => m.name);
}
