/**
 * What the digest admin pages share: loading a digest for its page (the editor for a draft, the
 * read-only view once sent), the preview email (links untracked, so previewing counts no clicks)
 * and the 409 for changing a sent digest.
 */
import type { Context } from "hono";
import { audienceStore } from "../audience/index.ts";
import { getSiteSettings } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { HttpError, NotFoundError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { getTimeZone } from "../lib/settings/time-zone.ts";
import { fillTemplate } from "../mail/index.ts";
import { digestUrl } from "./publish.ts";
import { type DigestView, digestEmail } from "./render.ts";
import { getSchedule } from "./schedule.ts";
import { type LoadedDigest, loadDigest } from "./service.ts";
import { type DigestRow, digestStore } from "./store.ts";
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

/** A digest's status as the admin shows it: draft, scheduled, held or sent. */
export function statusLabel(d: { status: string; send_at: string | null; held: number }): string {
  if (d.status !== "draft") return d.status;
  if (d.send_at) return d.held ? "held" : "scheduled";
  return "draft";
}

/** The digest, or a 409 when it has been sent (sent digests are read-only). */
export async function draftOr409(ctx: AppContext, id: number): Promise<DigestRow> {
  const d = await digestStore(ctx.db).byId(id);
  if (!d) throw new NotFoundError(`There is no digest ${id}.`);
  if (d.status !== "draft") throw new HttpError(409, "This digest has been sent; it can no longer be changed.");
  return d;
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
  extra: Partial<Pick<EditorData, "values" | "errors" | "status_">> = {},
) {
  const loaded: LoadedDigest = await loadDigest(ctx, id);
  const [lists, timeZone] = await Promise.all([audienceStore(ctx.db).allLists(), getTimeZone(ctx)]);
  const notice = notices[c.req.query("msg") ?? ""];
  if (loaded.digest.status !== "draft") {
    const ids = new Set(JSON.parse(loaded.digest.list_ids) as number[]);
    return digestSentPage(c, {
      loaded,
      lists: lists.filter((l) => ids.has(l.id)).map((l) => l.name),
      webUrl: await digestUrl(ctx, loaded.digest),
      timeZone,
      notice,
    });
  }
  return digestEditorPage(c, {
    loaded,
    status: statusLabel(loaded.digest),
    lists: lists.map((l) => ({ slug: l.slug, name: l.name, isPublic: !!l.is_public })),
    defaultLists: (await getSchedule(ctx)).lists,
    timeZone,
    previewText: (await previewEmail(ctx, loaded.view)).text,
    notice,
    ...extra,
  });
}
