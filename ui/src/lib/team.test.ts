import { describe, expect, it } from "vitest";
import { fieldLabel, staleMembers } from "./team.svelte";
import type { TeamStatus } from "./bindings";

const status = (members: TeamStatus["members"]): TeamStatus => ({
  team: "华东", member: "李娜", folder: "/t", members, shared_accounts: 1, pending: 0, last_sync: null, waiting: 0, accounts: [],
});

describe("team", () => {
  it("names the fields a conflict can be about", () => {
    expect(fieldLabel("phone")).toBe("people.phone");
    expect(fieldLabel("phase")).toBe("team.field.phase");
    expect(fieldLabel("installed_base")).toBeNull();
  });

  it("points out the other members not synced for a week", () => {
    const s = status([
      { name: "王伟", last_change: null, last_sync: null, stale: true },
      { name: "李娜", last_change: null, last_sync: null, stale: true },
      { name: "张强", last_change: null, last_sync: "2026-12-05T10:00:00+08:00", stale: false },
    ]);
    expect(staleMembers(s)).toEqual(["王伟"]);
  });
});
