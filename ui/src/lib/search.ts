// What a Ctrl+K search hit shows (pure; unit-tested).
import type { SearchHit } from "./bindings";

/** A hit as the list shows it: what was found (`title`), where it lives
 * (`context`, the customer, when it is not the title) and what matched
 * (`detail`). A contact reads "Linda Park — Tamara Chand": the person, then
 * the customer, and the matched field only when it is not the name (the
 * search sends a contact's hit as "name · matched field"). */
export function hitLines(hit: SearchHit): { title: string; context: string; detail: string } {
  if (hit.kind === "contact") {
    const at = hit.text.indexOf(" · ");
    if (at > 0 && !hit.text.startsWith("…")) {
      const [name, field] = [hit.text.slice(0, at), hit.text.slice(at + 3)];
      return { title: name, context: hit.customer_name, detail: field === name ? "" : field };
    }
  }
  return { title: hit.customer_name, context: "", detail: hit.text };
}
