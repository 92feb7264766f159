/**
 * The inbox's query string (pure): which view, folder, source and page. The same fields travel
 * in the mark-all-read form, so "mark all read" covers exactly the list the user was looking at.
 */
import { ValidationError } from "../../lib/errors.ts";
import { type Cursor, decodeCursor, encodeCursor } from "./cursor.ts";
import type { InboxView } from "./store.ts";

export interface InboxQuery {
  view: InboxView;
  folderId?: number;
  sourceId?: number;
  /** Search text: items whose title or text has every word. */
  search?: string;
  after?: Cursor;
}

/** The longest search text accepted. */
export const MAX_SEARCH = 200;

/** The words of a search text (at most 10; empty when there is none). Pure. */
export function searchWords(search: string | undefined): string[] {
  return (search ?? "").split(/\s+/).filter(Boolean).slice(0, 10);
}

const VIEWS: InboxView[] = ["all", "unread", "starred"];

function idOf(raw: string | undefined, field: string, label: string): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) === 0) {
    throw new ValidationError(`The ${label} in the address (“${field}”) must be a number, like ${field}=3.`, { field });
  }
  return Number(raw);
}

/** Read and check the inbox fields (from the query string or a form). */
export function parseInboxQuery(get: (name: string) => string | undefined): InboxQuery {
  const show = get("show") || "all";
  if (!VIEWS.includes(show as InboxView)) {
    throw new ValidationError(`“show” must be one of ${VIEWS.join(", ")}, not “${show.slice(0, 40)}”.`, {
      field: "show",
    });
  }
  const q: InboxQuery = { view: show as InboxView };
  const folderId = idOf(get("folder"), "folder", "folder");
  const sourceId = idOf(get("source"), "source", "source");
  if (folderId !== undefined && sourceId !== undefined) {
    throw new ValidationError("Choose a folder or a source, not both.", { field: "source" });
  }
  if (folderId !== undefined) q.folderId = folderId;
  if (sourceId !== undefined) q.sourceId = sourceId;
  const search = (get("q") ?? "").trim();
  if (search.length > MAX_SEARCH) {
    throw new ValidationError(`The search text must be at most ${MAX_SEARCH} characters.`, { field: "q" });
  }
  if (search) q.search = search;
  const after = get("after");
  if (after) q.after = decodeCursor(after);
  return q;
}

/** The inbox URL for a query (the default view leaves `show` out). */
export function inboxHref(
  q: Omit<InboxQuery, "after"> & { after?: Cursor | string },
  extra: Record<string, string> = {},
) {
  const p = new URLSearchParams();
  if (q.view !== "all") p.set("show", q.view);
  if (q.folderId !== undefined) p.set("folder", String(q.folderId));
  if (q.sourceId !== undefined) p.set("source", String(q.sourceId));
  if (q.search) p.set("q", q.search);
  if (q.after) p.set("after", typeof q.after === "string" ? q.after : encodeCursor(q.after));
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  const s = p.toString();
  return s ? `/admin/reader?${s}` : "/admin/reader";
}

/** The list's fields (not its page) as a query string for an item link: "" or "?show=unread&…". */
export function listContext(q: Omit<InboxQuery, "after">): string {
  const href = inboxHref({ view: q.view, folderId: q.folderId, sourceId: q.sourceId, search: q.search });
  const i = href.indexOf("?");
  return i < 0 ? "" : href.slice(i);
}

/** A "back to the list" path from a form: only our own inbox pages, never another site. */
export function safeBack(raw: string, fallback: string): string {
  if (/^\/admin\/reader(?:[/?#][^\s\\]*)?$/.test(raw) && !raw.startsWith("//") && raw.length <= 2000) return raw;
  return fallback;
}

/** Add (or replace) query parameters on a local path. */
export function withParams(pathAndQuery: string, params: Record<string, string>): string {
  const u = new URL(pathAndQuery, "http://x");
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.pathname + u.search + u.hash;
}
