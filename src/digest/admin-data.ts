/**
 * What the digest admin pages share: loading a digest for its page (the editor for a draft, the
 * read-only view once sent) and the preview email (links untracked, so previewing counts no clicks).
 */
import type { Context } from "hono";
import { listsWithConfirmed } from "../audience/index.ts";
import { getSiteSettings } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { getTimeZone } from "../lib/settings/time-zone.ts";
import { fillTemplate, mailWaitingNote } from "../mail/index.ts";
import { statusLabel } from "./manage.ts";
import { digestUrl } from "./publish.ts";
import { type DigestView, digestEmail } from "./render.ts";
import { getSchedule } from "./schedule.ts";
import { type LoadedDigest, loadDigest } from "./service.ts";
import { digestEditorPage, type EditorData } from "./views/admin-editor.ts";
import { digestSentPage } from "./views/admin-sent.ts";

/** The email as subscribers get it, but with the original links and inert unsubscribe links. */
export async function previewEmail(ctx: AppContext, view: DigestView) {
  const settings = await getSiteSettings(ctx);
  const m = digestEmail(view, {
    siteTitle: settings.title,
    webUrl: `${ctx.config.baseUrl}/digests/${view.id}`,
    link: (e) => e.url,
  });
  return fillTemplate(m, { unsubscribe_url: "#", preferences_url: "#" });
}

const notices: Record<string, string> = {
  created: "Draft created from your saves. Edit it, preview it, then send it.",
  saved: "Saved.",
  moved: "Moved.",
  removed: "Removed. Undo below, until the digest is sent.",
  restored: "Brought back.",
  added: "Link added.",
  test: "A test is on its way to you.",
  held: "Held: it will not go out by itself.",
  released: "Released: it goes out by itself at its time.",
  sent: "The digest is on its way.",
};

/** Render a digest's admin page: the editor for a draft, the read-only view once sent. */
export async function digestAdminPage(
  ctx: AppContext,
  c: Context<AppEnv>,
  id: number,
  extra: Partial<Pick<EditorData, "values" | "errors" | "status_" | "defaultLists" | "error">> = {},
) {
  const loaded: LoadedDigest = await loadDigest(ctx, id);
  const [lists, timeZone] = await Promise.all([listsWithConfirmed(ctx), getTimeZone(ctx)]);
  const msg = c.req.query("msg") ?? "";
  const notice =
    notices[msg] && (msg === "test" || msg === "sent" ? notices[msg] + mailWaitingNote(ctx) : notices[msg]);
  if (loaded.digest.status !== "draft") {
    const ids = new Set(JSON.parse(loaded.digest.list_ids) as number[]);
    return digestSentPage(c, {
      loaded,
      lists: lists.filter((l) => ids.has(l.id)).map((l) => l.name),
      webUrl: await digestUrl(ctx, loaded.digest),
      timeZone,
      notice,
      error: extra.error,
      status: extra.status_,
    });
  }
  return digestEditorPage(c, {
    loaded,
    status: statusLabel(loaded.digest),
    lists: lists.map((l) => ({ slug: l.slug, name: l.name, isPublic: !!l.is_public, confirmed: l.confirmed })),
    // With a single list there is nothing to choose: it starts ticked.
    defaultLists: lists.length === 1 ? [lists[0].slug] : (await getSchedule(ctx)).lists,
    timeZone,
    previewText: (await previewEmail(ctx, loaded.view)).text,
    notice,
    ...extra,
  });
}
