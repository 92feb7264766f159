/**
 * /admin/conversations: the inbox (filters, bulk actions, inline replies) and its settings page
 * (the site's default for comments, blocklists). Editors and owners.
 */
import type { Context, Hono } from "hono";
import { contentChanged } from "../../content/index.ts";
import type { AppContext } from "../../lib/context.ts";
import type { ConversationStatus, ConversationVia } from "../../lib/db/schema.ts";
import { ValidationError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { formBody, idParam, many, one, userOf } from "../../lib/http/request.ts";
import { requireUser } from "../../lib/http/require-user.ts";
import { getTimeZone } from "../../lib/settings/time-zone.ts";
import { messageForPeople } from "../../lib/ui/form.ts";
import { mailCanLeave } from "../../mail/index.ts";
import { type ModerationAction, moderate, moderationActions, ownerLike, ownerReply } from "../moderate.ts";
import { blockStore, itemStore, settingsStore } from "../store.ts";
import { inboxPage, settingsPage } from "./views.ts";

const STATUSES = ["pending", "approved", "spam"];
const VIAS = ["site", "webmention", "activitypub", "bluesky"];

const notices: Record<string, string> = {
  replied: "Your reply is published under the item (and sent to where it came from).",
  liked: "Your like is on its way to where the item came from.",
  saved: "Settings saved.",
};

/** Register the inbox on the admin app. */
export function inboxRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/conversations", requireUser("editor"));
  app.use("/conversations/*", requireUser("editor"));

  const inbox = async (c: Context<AppEnv>, extra: { notice?: string; error?: string; status?: number } = {}) => {
    const status = c.req.query("status") ?? "pending";
    const via = c.req.query("via") ?? "";
    const post = c.req.query("post") ?? "";
    const source = (c.req.query("source") ?? "").trim();
    const store = itemStore(ctx.db);
    const [items, counts, timeZone] = await Promise.all([
      store.list({
        status: STATUSES.includes(status) ? (status as ConversationStatus) : undefined,
        via: VIAS.includes(via) ? (via as ConversationVia) : undefined,
        postId: /^\d+$/.test(post) ? Number(post) : undefined,
        source: source || undefined,
        limit: 200,
      }),
      store.countByStatus(),
      getTimeZone(ctx),
    ]);
    const posts = (await store.postsWithItems()).map((p) => ({ id: p.id, title: p.title, n: Number(p.n) }));
    const mailNote = mailCanLeave(ctx)
      ? ""
      : "Email is not set up (SMTP_URL): you get no email about held items, and commenters get no confirmation or reply emails. See Email.";
    return inboxPage(c, { items, counts, posts, filter: { status, post, via, source }, timeZone, mailNote, ...extra });
  };

  app.get("/conversations", async (c) => {
    const msg = c.req.query("msg") ?? "";
    const done = /^(approve|spam|delete|block-person|block-domain):(\d+)$/.exec(msg);
    // Only values that are on the lists: a crafted link cannot make the page say anything else.
    const listed = new Set((await blockStore(ctx.db).all()).map((b) => b.value));
    const blocked = (c.req.query("blocked") ?? "").split(" ").filter((v) => listed.has(v));
    const nothing =
      done?.[1] === "block-domain"
        ? " Nothing to block by: no website or source to take a domain from (an email provider's domain is never blocked). Marked as spam only."
        : " Nothing to block by: no email address (a client's IP address is never blocked). Marked as spam only.";
    const what = done?.[1].startsWith("block")
      ? blocked.length
        ? ` Blocked from now on: ${blocked.join(", ")} (edit the lists in Settings).`
        : nothing
      : "";
    return inbox(c, {
      notice: done ? `${actionLabel[done[1] as ModerationAction]}: ${done[2]} changed.${what}` : notices[msg],
    });
  });

  app.post("/conversations/bulk", async (c) => {
    const body = await formBody(c);
    const action = one(body, "action") as ModerationAction;
    if (!moderationActions.includes(action))
      throw new ValidationError("action: choose what to do with the items", { field: "action" });
    const ids = many(body, "id")
      .map(Number)
      .filter((n) => Number.isSafeInteger(n) && n > 0);
    if (!ids.length) return inbox(c, { error: "Select at least one item first." });
    const { changed, blocked } = await moderate(ctx, ids, action);
    const back = one(body, "back");
    const to = back.startsWith("/admin/conversations") ? back : "/admin/conversations";
    const also = blocked.length ? `&blocked=${encodeURIComponent(blocked.join(" "))}` : "";
    return c.redirect(`${to}${to.includes("?") ? "&" : "?"}msg=${action}:${changed}${also}`, 303);
  });

  app.post("/conversations/:id{[0-9]+}/reply", async (c) => {
    const user = userOf(c);
    try {
      await ownerReply(ctx, user, idParam(c), one(await formBody(c), "text"));
    } catch (err) {
      if (err instanceof ValidationError) return inbox(c, { error: messageForPeople(err), status: 400 });
      throw err;
    }
    return c.redirect("/admin/conversations?msg=replied", 303);
  });

  app.post("/conversations/:id{[0-9]+}/like", async (c) => {
    try {
      await ownerLike(ctx, idParam(c));
    } catch (err) {
      if (err instanceof ValidationError) return inbox(c, { error: messageForPeople(err), status: 400 });
      throw err;
    }
    return c.redirect("/admin/conversations?msg=liked", 303);
  });

  const settings = async (
    c: Context<AppEnv>,
    extra: { notice?: string; error?: string; status?: number; typed?: Record<string, string> } = {},
  ) => {
    const [site, blocks] = await Promise.all([settingsStore(ctx.db).site(), blockStore(ctx.db).all()]);
    const of = (k: string) =>
      blocks
        .filter((b) => b.kind === k)
        .map((b) => b.value)
        .join("\n");
    const { typed, ...rest } = extra;
    return settingsPage(c, {
      comments: site.comments,
      closeAfterDays: String(site.closeAfterDays),
      words: of("word"),
      domains: of("domain"),
      addresses: of("address"),
      ...typed,
      ...rest,
    });
  };
  app.get("/conversations/settings", (c) => settings(c, { notice: notices[c.req.query("msg") ?? ""] }));
  app.post("/conversations/settings", async (c) => {
    const body = await formBody(c);
    const comments = one(body, "comments");
    const days = one(body, "closeAfterDays").trim() || "0";
    const typed = {
      comments,
      closeAfterDays: one(body, "closeAfterDays"),
      words: one(body, "words"),
      domains: one(body, "domains"),
      addresses: one(body, "addresses"),
    };
    if (!["on", "off", "closed"].includes(comments))
      return settings(c, { error: "Comments: choose on, closed or off.", status: 400, typed });
    if (!/^\d{1,4}$/.test(days))
      return settings(c, { error: "Close comments after: a whole number of days (0: never).", status: 400, typed });
    const lines = (name: string) => [
      ...new Set(
        one(body, name)
          .split(/\r?\n/)
          .map((l) => l.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
    // A domain as typed, or taken from a URL pasted in its place; anything else is refused.
    const domains: string[] = [];
    for (const line of lines("domains")) {
      const host = /^https?:\/\//.test(line) && URL.canParse(line) ? new URL(line).hostname : line;
      if (!/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(host))
        return settings(c, {
          error: `Blocked domains: "${line}" is not a domain (like example.com).`,
          status: 400,
          typed,
        });
      domains.push(host.replace(/^www\./, ""));
    }
    const at = ctx.now().toISOString();
    await settingsStore(ctx.db).saveSite({ comments: comments as "on", closeAfterDays: Number(days) });
    const blocks = blockStore(ctx.db);
    await blocks.replace("word", lines("words"), at);
    await blocks.replace("domain", [...new Set(domains)], at);
    await blocks.replace("address", lines("addresses"), at);
    // Every post page shows the form or "closed": they all change.
    await contentChanged(ctx);
    return c.redirect("/admin/conversations/settings?msg=saved", 303);
  });
}

const actionLabel: Record<ModerationAction, string> = {
  approve: "Approved",
  spam: "Marked as spam",
  delete: "Deleted",
  "block-person": "Blocked the person",
  "block-domain": "Blocked the domain",
};
