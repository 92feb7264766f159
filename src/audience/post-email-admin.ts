/**
 * /admin/posts/:id/email: email a published post to lists. The editor leads here after
 * "Publish" (when there are lists), and from a published post's status line. The page shows each
 * list with its confirmed subscribers (and says so when a list has none), which lists already got
 * this post, "Send a test to me" and the real send, which goes through the outbox after one
 * confirmation page naming the number of recipients. Ticked at first: the lists with confirmed
 * subscribers that have not had this post (or the only list). A problem (no list ticked) comes
 * back on this form, with the boxes as they were and the message beside them. The sends so far
 * are in a table (post-email-history.ts).
 */
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { postById, postPath } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError, ValidationError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { formBody, many, one } from "../lib/http/request.ts";
import { requireUser } from "../lib/http/require-user.ts";
import { fieldErrorOf } from "../lib/ui/form.ts";
import { csrfField, page } from "../lib/ui/layout.ts";
import { mailWaitingNote, sendsOfPost } from "../mail/index.ts";
import { listsWithConfirmed, sendTargets } from "./lists.ts";
import { clicksOfSends, opensOfSends } from "./post-clicks.ts";
import { sendHistory } from "./post-email-history.ts";
import { sendPost, sendPostTest } from "./post-send.ts";
import { sendConfirmPage } from "./send-confirm.ts";
import type { ListRow } from "./store.ts";

/** Register the page on the admin app (editors and owners). */
export function postEmailRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/posts/:id{[0-9]+}/email", requireUser("editor"));
  app.use("/posts/:id{[0-9]+}/email/*", requireUser("editor"));

  const load = async (c: Context<AppEnv>) => {
    const post = await postById(ctx, Number(c.req.param("id")));
    if (!post) throw new NotFoundError("There is no such post.");
    return post;
  };

  const render = async (
    c: Context<AppEnv>,
    extra: { notice?: string; error?: string; status?: number; listsError?: string; chosen?: string[] } = {},
  ) => {
    const post = await load(c);
    const [lists, sends] = await Promise.all([listsWithConfirmed(ctx), sendsOfPost(ctx, post.id)]);
    if (lists.length === 0) return c.redirect(`/admin/posts/${post.id}?msg=${post.status}`, 303);
    const postSends = sends.filter((s) => s.kind === "post").map((s) => s.id);
    const [clicks, opens] = await Promise.all([clicksOfSends(ctx, postSends), opensOfSends(ctx, postSends)]);
    const sentTo = new Set(sends.filter((s) => s.kind === "post").flatMap((s) => JSON.parse(s.list_ids) as number[]));
    const published = post.status === "published";
    // Ticked: as submitted after a problem, else the lists that have not had this post yet and
    // have someone to send it to (a sole list is ticked even while empty: it is the only choice).
    const ticked = (l: ListRow & { confirmed: number }) =>
      extra.chosen ? extra.chosen.includes(l.slug) : !sentTo.has(l.id) && (l.confirmed > 0 || lists.length === 1);
    const empty = lists.filter((l) => l.confirmed === 0);
    const described = [extra.listsError ? "send-lists-error" : "", empty.length ? "send-lists-empty" : ""]
      .filter(Boolean)
      .join(" ");
    return page(
      c,
      {
        title: `Email “${post.title}”`,
        section: "posts",
        notice: extra.notice,
        error: extra.error,
        status: extra.status,
      },
      html`<h1>Email “${post.title}”</h1>
<p><a href="/admin/posts/${post.id}">Back to the editor</a>${
        published ? html` · <a href="${postPath(post)}" class="live-link">View the live post</a>` : ""
      }</p>
${published ? "" : html`<p class="error">This post is not published yet; publish it before emailing it.</p>`}
<form method="post" action="/admin/posts/${post.id}/email">
${csrfField(c)}
<fieldset class="field${extra.listsError ? " has-error" : ""}" id="send-lists"${
        described ? html` aria-describedby="${described}"` : ""
      }><legend>Send to</legend>
${extra.listsError ? html`<p class="field-error" id="send-lists-error">${extra.listsError}</p>` : ""}
${lists.map(
  (l) =>
    html`<p><label><input type="checkbox" name="lists" value="${l.slug}"${
      ticked(l) ? html` checked` : ""
    }> <strong>${l.name}</strong> (${l.confirmed} confirmed${l.is_public ? "" : ", private"})</label>${
      sentTo.has(l.id) ? html` <em>already sent this post</em>` : ""
    }</p>`,
)}
${
  empty.length
    ? html`<p class="hint warning" id="send-lists-empty">${empty.map((l) => `“${l.name}”`).join(", ")} ${
        empty.length === 1 ? "has" : "have"
      } no confirmed subscribers yet: nobody on ${empty.length === 1 ? "it" : "them"} would get this email.</p>`
    : ""
}
</fieldset>
<p><label><input type="checkbox" name="countOpens" value="1"> Count opens of this send</label> <span class="hint">Adds a tracking image; off by default. Many mail apps load images on their own, so the count is rough.</span></p>
<div class="actions"><button type="submit" formaction="/admin/posts/${post.id}/email/test"${published ? "" : " disabled"}>Send a test to me</button>
<button type="submit" class="primary"${published ? "" : " disabled"}>Send now</button>
<a href="/admin/posts/${post.id}">Not now</a></div>
<p class="hint">You are asked once more, with the number of recipients, before it goes out.</p>
</form>
${sendHistory(sends, lists, clicks, opens)}`,
    );
  };

  app.get("/posts/:id{[0-9]+}/email", (c) => {
    const msg = c.req.query("msg");
    const user = c.get("user");
    const notice =
      msg === "published"
        ? "Published. Email it to your lists?"
        : msg === "test"
          ? `A test is on its way to ${user?.email ?? "you"}.${mailWaitingNote(ctx)}`
          : undefined;
    // Back from the confirmation page: the lists as they were ticked.
    const chosen = c.req.queries("lists");
    return render(c, { notice, chosen });
  });

  app.post("/posts/:id{[0-9]+}/email/test", async (c) => {
    const user = c.get("user");
    if (!user) return c.redirect("/login", 303);
    const post = await load(c);
    if (post.status !== "published") return render(c, { error: "Publish the post before emailing it.", status: 409 });
    await sendPostTest(ctx, post, { email: user.email, name: user.name, userId: user.id });
    // Redirect, so reloading the page does not send another test.
    return c.redirect(`/admin/posts/${post.id}/email?msg=test`, 303);
  });

  // "Send now" shows the confirmation page; its Send button posts the same lists with confirm=1.
  app.post("/posts/:id{[0-9]+}/email", async (c) => {
    const post = await load(c);
    const body = await formBody(c);
    const chosen = many(body, "lists");
    try {
      if (one(body, "confirm") === "1") {
        const { sendId, recipients } = await sendPost(ctx, post.slug, chosen, c.get("user")?.id, {
          countOpens: one(body, "countOpens") === "1",
        });
        return c.redirect(`/admin/mail?msg=sent&send=${sendId}&n=${recipients}`, 303);
      }
      if (post.status !== "published")
        throw new ValidationError(`“${post.title}” is not published yet; publish it before emailing it.`, {
          field: "post",
        });
      return sendConfirmPage(c, {
        what: `“${post.title}”`,
        targets: await sendTargets(ctx, chosen, "lists"),
        action: `/admin/posts/${post.id}/email`,
        back: `/admin/posts/${post.id}/email?${chosen.map((l) => `lists=${encodeURIComponent(l)}`).join("&")}`,
        section: "posts",
        hidden: one(body, "countOpens") === "1" ? { countOpens: "1" } : undefined,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { field, message } = fieldErrorOf(err);
      return field === "post"
        ? render(c, { error: message, chosen, status: 409 })
        : render(c, { error: "Not sent.", listsError: message, chosen, status: 422 });
    }
  });
}
