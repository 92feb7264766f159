/**
 * The inbox at /admin/reader: the list (filters in the query string), the item page (opening
 * marks read), and POST actions that redirect back with a notice — read, unread, star, unstar,
 * fetch full text, mark all read and its undo. All behind the admin's session and CSRF checks;
 * reader.js asks for JSON (Accept: application/json) to toggle without a page load.
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { AppContext } from "../../lib/context.ts";
import { NotFoundError, ValidationError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { formBody, one, userOf } from "../../lib/http/request.ts";
import { contentSecurityPolicy } from "../../lib/http/security.ts";
import { getTimeZone } from "../../lib/settings/time-zone.ts";
import { replyPathOf } from "../sources/kinds.ts";
import { FullTextError, fetchFullText } from "./fulltext.ts";
import { inboxHref, listContext, parseInboxQuery, safeBack, withParams } from "./query.ts";
import {
  applyAction,
  getItem,
  type ItemAction,
  itemNeighbours,
  loadInbox,
  markAllRead,
  openItem,
  undoMarkAllRead,
} from "./service.ts";
import { itemPage } from "./views/item.ts";
import { inboxPage, type ListNotice } from "./views/list.ts";

const ACTIONS: Record<ItemAction, string> = {
  read: "Marked as read.",
  unread: "Marked as unread.",
  star: "Starred.",
  unstar: "Star removed.",
};

/** Notices by code; counts come from a checked number, never free text from the URL. */
function noticeText(code: string | undefined, n: number): string | undefined {
  const items = `${n} item${n === 1 ? "" : "s"}`;
  switch (code) {
    case "marked":
      return n ? `Marked ${items} as read.` : "Nothing to mark: everything here was already read.";
    case "undone":
      return n ? `Undone: ${items} unread again.` : "Nothing to undo (it was already undone, or more than a day ago).";
    case "fulltext":
      return "Full text fetched from the original page.";
    default:
      return code && code in ACTIONS ? ACTIONS[code as ItemAction] : undefined;
  }
}

function countParam(c: Context<AppEnv>): number {
  const raw = c.req.query("n") ?? "";
  return /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
}

/** An item id from the path, else a 404 that names what was asked for. */
function itemId(c: Context<AppEnv>): number {
  const raw = c.req.param("id") ?? "";
  if (!/^\d{1,9}$/.test(raw) || Number(raw) === 0) {
    throw new NotFoundError(`There is no reader item “${raw.slice(0, 40)}”: item addresses end in a number.`);
  }
  return Number(raw);
}

const wantsJson = (c: Context<AppEnv>) => (c.req.header("accept") ?? "").includes("application/json");

/**
 * The sanitizer keeps YouTube and Vimeo player iframes (sandboxed), which the site-wide CSP's
 * default-src 'self' would block; reader pages add exactly those frame origins and nothing else.
 * The security middleware leaves a CSP that a route has set alone.
 */
const PLAYER_FRAMES = [
  "https://www.youtube.com",
  "https://youtube.com",
  "https://www.youtube-nocookie.com",
  "https://youtube-nocookie.com",
  "https://player.vimeo.com",
].join(" ");
const readerCsp: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.res.headers.set("Content-Security-Policy", `${contentSecurityPolicy(c.get("nonce"))}; frame-src ${PLAYER_FRAMES}`);
};

/** Register the inbox routes on the admin app. */
export function inboxRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/reader/items/*", readerCsp);
  app.get("/reader", async (c) => {
    const q = parseInboxQuery((k) => c.req.query(k));
    const [d, tz] = await Promise.all([loadInbox(ctx, q), getTimeZone(ctx)]);
    const text = noticeText(c.req.query("msg"), countParam(c));
    const undo = c.req.query("undo") ?? "";
    const notice: ListNotice | undefined = text
      ? { text, undoToken: c.req.query("msg") === "marked" && /^[A-Za-z0-9_-]{22}$/.test(undo) ? undo : undefined }
      : undefined;
    return inboxPage(c, d, tz, notice);
  });

  app.get("/reader/items/:id", async (c) => {
    // The list the item was opened from (view, folder, source, search) decides previous and next.
    const list = parseInboxQuery((k) => (k === "after" ? undefined : c.req.query(k)));
    const [item, tz] = await Promise.all([openItem(ctx, itemId(c)), getTimeZone(ctx)]);
    const neighbours = await itemNeighbours(ctx, list, item);
    return itemPage(c, item, {
      tz,
      replyHref: await replyPathOf(ctx, item.source_kind, item.id),
      list: { href: inboxHref(list), context: listContext(list), ...neighbours },
      feedVersion: c.req.query("content") === "feed",
      notice: noticeText(c.req.query("msg"), 0),
    });
  });

  app.post("/reader/items/:id/fulltext", async (c) => {
    const item = await getItem(ctx, itemId(c));
    try {
      await fetchFullText(ctx, item);
    } catch (err) {
      if (!(err instanceof FullTextError)) throw err;
      ctx.log.info("full text failed", { item: item.id, error: err.message });
      return itemPage(c, item, { tz: await getTimeZone(ctx), error: err.message, status: 502 });
    }
    return c.redirect(`/admin/reader/items/${item.id}?msg=fulltext`, 303);
  });

  app.post("/reader/items/:id/:action", async (c) => {
    const id = itemId(c);
    const action = c.req.param("action");
    if (!(action in ACTIONS)) throw new NotFoundError(`“${action.slice(0, 40)}” is not an action on reader items.`);
    await applyAction(ctx, id, action as ItemAction);
    if (wantsJson(c)) {
      const item = await getItem(ctx, id);
      return c.json({ id, is_read: item.is_read, is_starred: item.is_starred });
    }
    const back = safeBack(one(await formBody(c), "back"), `/admin/reader/items/${id}`);
    return c.redirect(withParams(back, { msg: action }), 303);
  });

  app.post("/reader/mark-all-read", async (c) => {
    const b = await formBody(c);
    const q = parseInboxQuery((k) => one(b, k) || undefined);
    const upto = one(b, "upto");
    if (!/^\d{1,15}$/.test(upto)) {
      throw new ValidationError(
        "The form is missing which items were shown (“upto”). Reload the inbox and try again.",
        {
          field: "upto",
        },
      );
    }
    const { count, token } = await markAllRead(ctx, userOf(c).id, q, Number(upto));
    const extra: Record<string, string> = { msg: "marked", n: String(count) };
    if (token) extra.undo = token;
    return c.redirect(inboxHref({ ...q, after: undefined }, extra), 303);
  });

  app.post("/reader/undo", async (c) => {
    const b = await formBody(c);
    const token = one(b, "token");
    if (!/^[A-Za-z0-9_-]{22}$/.test(token)) {
      throw new ValidationError("The undo token in the form is missing or malformed. Nothing was changed.", {
        field: "token",
      });
    }
    const n = await undoMarkAllRead(ctx, userOf(c).id, token);
    const back = safeBack(one(b, "back"), "/admin/reader");
    return c.redirect(withParams(back, { msg: "undone", n: String(n) }), 303);
  });
}
