/**
 * /admin/fediverse/reply/{item}: the owner answers a followed account's post from the reader. The
 * page shows the post's excerpt, the answers already sent, and a form; a refused answer comes back
 * with its text kept and the message at the field. The work is in notes.ts.
 */
import type { Context, Hono } from "hono";
import { html, raw } from "hono/html";
import type { AppContext } from "../../lib/context.ts";
import { ValidationError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { formBody, idParam, one } from "../../lib/http/request.ts";
import { requireUser } from "../../lib/http/require-user.ts";
import { getTimeZone } from "../../lib/settings/time-zone.ts";
import { type FieldErrors, fieldErrorOf, textarea } from "../../lib/ui/form.ts";
import { csrfField, page, when } from "../../lib/ui/layout.ts";
import type { ReaderItem } from "../../reader/index.ts";
import { type NoteRow, notesStore } from "../notes-store.ts";

interface ReplyView {
  item: ReaderItem;
  sent: NoteRow[];
  tz: string;
  text?: string;
  errors?: FieldErrors;
  notice?: string;
  error?: string;
  status?: number;
}

const excerpt = (text: string) => (text.length > 280 ? `${text.slice(0, 279)}…` : text);

function replyPage(c: Context<AppEnv>, v: ReplyView) {
  const back = `/admin/reader/items/${v.item.id}`;
  const source = v.item.source_custom_title || v.item.source_title;
  return page(
    c,
    { title: "Reply", section: "reader", notice: v.notice, error: v.error, status: v.status },
    html`<p class="crumbs"><a href="${back}">← Back to the post</a></p>
<h1>Reply to ${source}</h1>
<blockquote cite="${v.item.url ?? ""}"><p>${excerpt(v.item.text)}</p></blockquote>
${
  v.sent.length
    ? html`<h2>Your answers</h2><ul class="sent-notes">${v.sent.map(
        // n.html was made by us from the owner's text (markdown through the comments' allowlist).
        (n) =>
          html`<li>To ${n.to_handle}, <time datetime="${n.created_at}">${when(n.created_at, v.tz)}</time>: ${raw(n.html)}</li>`,
      )}</ul>`
    : ""
}
<form method="post" action="/admin/fediverse/reply/${v.item.id}">
  ${csrfField(c)}
  ${textarea({
    name: "text",
    label: "Your reply",
    hint: "Sent to the author, mentioning them, and public, as a reply on Mastodon is. Markdown works; links are kept.",
    rows: 6,
    value: v.text,
    errors: v.errors,
    required: true,
  })}
  <button type="submit" class="primary">Send the reply</button>
</form>`,
  );
}

/** Register the reply page on the admin app. */
export function replyRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/fediverse/reply/*", requireUser("owner"));
  const show = async (c: Context<AppEnv>, extra: Partial<ReplyView> = {}) => {
    const { answerableItem } = await import("../notes.ts");
    const item = await answerableItem(ctx, idParam(c));
    const [sent, tz] = await Promise.all([notesStore(ctx.db).ofItem(item.id), getTimeZone(ctx)]);
    return replyPage(c, {
      item,
      sent,
      tz,
      notice:
        c.req.query("msg") === "sent"
          ? `Your reply is on its way to ${sent[0]?.to_handle ?? "the author"}.`
          : undefined,
      ...extra,
    });
  };
  app.get("/fediverse/reply/:id{[0-9]+}", (c) => show(c));
  app.post("/fediverse/reply/:id{[0-9]+}", async (c) => {
    const body = await formBody(c);
    const text = one(body, "text");
    const { answerItem } = await import("../notes.ts");
    try {
      await answerItem(ctx, idParam(c), text);
      return c.redirect(`/admin/fediverse/reply/${idParam(c)}?msg=sent`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { field, message } = fieldErrorOf(err);
      // The text was refused: the message at the field. The post or its author could not be read:
      // the message on top (the text is kept; sending again may work later).
      return field === "text"
        ? show(c, {
            text,
            errors: { text: message },
            error: "Nothing was sent: see the message at the field.",
            status: 400,
          })
        : show(c, { text, error: `Nothing was sent. ${message}`, status: 502 });
    }
  });
}
