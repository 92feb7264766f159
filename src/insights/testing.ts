/** Test support of the insights module: stored views and outcomes made short. */
import type { NewOutcome, NewView } from "./store.ts";

/** A stored view of `day` at second `s` of 10:00 (no UTM, no marker, a desktop). */
export function viewRow(day: string, visitor: string, path: string, source = "direct", s = 0): NewView {
  return {
    day,
    at: `${day}T10:00:${String(s).padStart(2, "0")}.000Z`,
    visitor,
    path,
    source,
    referrer_host: "",
    utm_source: "",
    utm_medium: "",
    utm_campaign: "",
    ref: null,
    device: "desktop",
  };
}

/** An attributed outcome at `at`. */
export function outcomeRow(kind: string, at: string, fields: Partial<NewOutcome> = {}): NewOutcome {
  return {
    kind,
    at,
    post_id: null,
    who: `${kind}:${at}`,
    entry_path: "/",
    source: "direct",
    pages: "[]",
    visitor: null,
    attributed_at: at,
    note: "",
    created_at: at,
    ...fields,
  };
}
