import { describe, expect, it } from "vitest";
import type { SearchHit } from "./bindings";
import { hitLines } from "./search";

const hit = (kind: SearchHit["kind"], text: string): SearchHit => ({ kind, customer: 7, customer_name: "Tamara Chand", item: 3, text });

describe("hitLines", () => {
  it("names a contact found by name once, then the customer", () => {
    expect(hitLines(hit("contact", "Linda Park · Linda Park"))).toEqual({ title: "Linda Park", context: "Tamara Chand", detail: "" });
  });
  it("shows the field a contact was found by when it is not the name", () => {
    expect(hitLines(hit("contact", "Linda Park · Purchasing"))).toEqual({ title: "Linda Park", context: "Tamara Chand", detail: "Purchasing" });
  });
  it("shows notes, touches and customers under the customer's name", () => {
    expect(hitLines(hit("note", "…the budget · for 2025"))).toEqual({ title: "Tamara Chand", context: "", detail: "…the budget · for 2025" });
    expect(hitLines({ ...hit("customer", "C007"), item: null })).toEqual({ title: "Tamara Chand", context: "", detail: "C007" });
  });
});
