/**
 * /admin/posts/:id/email: email a published post to lists. The editor leads here after
 * "Publish" (when there are lists), and from a published post's status line. The page shows each
 * list with its confirmed subscribers, which lists already got this post (not ticked again by
 * default), "Send a test to me" and the real send, which goes through the outbox.
 */
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { postById } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError, ValidationError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { formBody, many, one } from "../lib/http/request.ts";
import { requireUser } from "../lib/http/require-user.ts";
import { csrfField, page } from "../lib/ui/layout.ts";
import { sendsOfPost } from "../mail/index.ts";
import { clicksOfSends, opensOfSends } from "./post-clicks.ts";
import { sendPost, sendPostTest } from "./post-send.ts";
import { audienceStore } from "./store.ts";

/** Register the page on the admin app (editors and owners). */
export function postEmailRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/posts/:id{[0-9]+}/email", requireUser("editor"));
  app.use("/posts/:id{[0-9]+}/email/*", requireUser("editor"));

  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const load = async (c: Context<AppEnv>) => {
    const post = await postById(ctx, Number(c.req.param("id")));
    if (!post) throw new NotFoundError("There is no such post.");
    return post;
  };

  const render = async (c: Context<AppEnv>, extra: { notice?: string; error?: string; status?: number } = {}) => {
    const post = await load(c);
    const store = audienceStore(ctx.db);
    const [lists, counts, sends] = await Promise.all([
      store.allLists(),
      store.confirmedCounts(),
      sendsOfPost(ctx, post.id),
    ]);
    if (lists.length === 0) return c.redirect(`/admin/posts/${post.id}?msg=${post.status}`, 303);
    const postSends = sends.filter((s) => s.kind === "post").map((s) => s.id);
    const [clicks, opens] = await Promise.all([clicksOfSends(ctx, postSends), opensOfSends(ctx, postSends)]);
    const sentTo = new Set(sends.filter((s) => s.kind === "post").flatMap((s) => JSON.parse(s.list_ids) as number[]));
    const published = post.status === "published";
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
<p><a href="/admin/posts/${post.id}">Back to the editor</a></p>
${published ? "" : html`<p class="error">This post is not published yet; publish it before emailing it.</p>`}
<form method="post" action="/admin/posts/${post.id}/email">
${csrfField(c)}
<fieldset><legend>Send to</legend>
${lists.map(
  (l) =>
    html`<p><label><input type="checkbox" name="lists" value="${l.slug}"${
      sentTo.has(l.id) ? "" : html` checked`
    }> <strong>${l.name}</strong> (${counts.get(l.id) ?? 0} confirmed${l.is_public ? "" : ", private"})</label>${
      sentTo.has(l.id) ? html` <em>already sent this post</em>` : ""
    }</p>`,
)}
</fieldset>
<p><label><input type="checkbox" name="countOpens" value="1"> Count opens of this send</label> <span class="hint">Adds a tracking image; off by default. Many mail apps load images on their own, so the count is rough.</span></p>
<p><button type="submit" formaction="/admin/posts/${post.id}/email/test"${published ? "" : " disabled"}>Send a test to me</button>
<button type="submit" class="primary"${published ? "" : " disabled"}>Send now</button>
<a href="/admin/posts/${post.id}">Not now</a></p>
</form>
${
  sends.length
    ? html`<h2>Sent before</h2><ul>${sends.map(
        (s) =>
          html`<li>#${s.id} ${s.kind === "test" ? "test" : "send"}, ${s.created_at.slice(0, 16).replace("T", " ")} UTC: ${s.total} ${s.total === 1 ? "recipient" : "recipients"}${
            s.kind === "post" ? html`, <span class="clicks">${plural(clicks.get(s.id) ?? 0, "click")}</span>` : ""
          }${opens.has(s.id) ? html`, <span class="opens">${plural(opens.get(s.id) ?? 0, "open")}</span>` : ""} — <a href="/admin/mail">progress</a></li>`,
      )}</ul>
<p class="hint">Clicks are counted per link, never per person. Opens are not tracked (no tracking pixel) unless you turn it on for a send.</p>`
    : ""
}`,
    );
  };

  app.get("/posts/:id{[0-9]+}/email", (c) => {
    const msg = c.req.query("msg");
    const user = c.get("user");
    const notice =
      msg === "published"
        ? "Published. Email it to your lists?"
        : msg === "test"
          ? `A test is on its way to ${user?.email ?? "you"}.`
          : undefined;
    return render(c, { notice });
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

  app.post("/posts/:id{[0-9]+}/email", async (c) => {
    const post = await load(c);
    const body = await formBody(c);
    try {
      const { sendId, recipients } = await sendPost(ctx, post.slug, many(body, "lists"), c.get("user")?.id, {
        countOpens: one(body, "countOpens") === "1",
      });
      return c.redirect(`/admin/mail?msg=sent&send=${sendId}&n=${recipients}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(c, { error: err.message, status: 400 });
      throw err;
    }
  });
}
