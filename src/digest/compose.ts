/**
 * Making a digest draft: everything saved since the last digest (or a chosen period), grouped
 * into sections by theme (in the order of the site's themes), each entry with its title, link,
 * blurb and credit line, and the owner's own posts of the period in a section of their own.
 * Entries are copies: editing the draft never changes the saves.
 */
import { randomBytes } from "node:crypto";
import { ownPostsBetween, postPath } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import { creditsOfSaves, firstThemesOfSaves, hostOf, savesBetween } from "../reader/index.ts";
import { digestStore } from "./store.ts";

/** Where unthemed saves go. */
export const OTHER_SECTION = "Also worth reading";
export const OWN_SECTION = "New from me";
const WEEK_MS = 7 * 24 * 3600_000;

/** ISO 8601 week number of a date (UTC). Pure. */
export function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

export interface DraftOptions {
  /** Start of the period; default: the end of the last digest, else a week ago. */
  since?: Date;
  /** End of the period; default: now. */
  until?: Date;
  title?: string;
  /** When a scheduled draft goes out by itself. */
  sendAt?: Date;
  /** Make the draft even when nothing was saved (else a ValidationError says so). */
  allowEmpty?: boolean;
}

/** Create a draft; returns its id and how many entries it got. */
export async function draftDigest(ctx: AppContext, opts: DraftOptions = {}): Promise<{ id: number; entries: number }> {
  const store = digestStore(ctx.db);
  const now = ctx.now();
  const until = opts.until ?? now;
  const last = await store.latest();
  const since = opts.since ?? (last ? new Date(last.period_end) : new Date(until.getTime() - WEEK_MS));
  if (Number.isNaN(since.getTime())) throw new ValidationError("since: not a date", { field: "since" });
  if (since >= until) {
    const what = last && !opts.since ? "the last digest ended now" : "the date is in the future";
    throw new ValidationError(`since: the period must start before it ends (${what}).`, { field: "since" });
  }
  const start = since.toISOString();
  const end = until.toISOString();

  const saves = await savesBetween(ctx, start, end);
  const themes = await firstThemesOfSaves(
    ctx,
    saves.map((s) => s.id),
  );
  const credits = await creditsOfSaves(
    ctx,
    saves.map((s) => s.id),
  );
  const own = await ownPostsBetween(ctx, start, end);
  if (saves.length + own.length === 0 && !opts.allowEmpty) {
    throw new ValidationError(
      `Nothing was saved or published between ${start.slice(0, 10)} and ${end.slice(0, 10)}, so there is nothing to put in a digest yet. Choose an earlier date, or start an empty digest and add links by hand.`,
      { field: "since" },
    );
  }

  // Sections: one per theme in theme order, then unthemed saves, then the owner's posts.
  const groups = new Map<string, { title: string; themeId: number | null; order: number; saves: typeof saves }>();
  for (const s of saves) {
    const t = themes.get(s.id);
    const key = t ? `t${t.id}` : "other";
    let g = groups.get(key);
    if (!g) {
      g = {
        title: t?.name ?? OTHER_SECTION,
        themeId: t?.id ?? null,
        order: t ? t.position : Number.MAX_SAFE_INTEGER,
        saves: [],
      };
      groups.set(key, g);
    }
    g.saves.push(s);
  }
  // Theme order as on the site (position, then creation); unthemed saves last.
  const ordered = [...groups.values()].sort(
    (a, b) => a.order - b.order || (a.themeId ?? Number.MAX_SAFE_INTEGER) - (b.themeId ?? Number.MAX_SAFE_INTEGER),
  );
  const at = now.toISOString();

  const id = await store.transaction(async (t) => {
    const digest = await store.insertDigest(
      {
        title: opts.title?.trim() || `Flash Report, week ${isoWeek(until)}`,
        status: "draft",
        period_start: start,
        period_end: end,
        send_at: opts.sendAt?.toISOString() ?? null,
        secret: randomBytes(18).toString("base64url"),
        created_at: at,
        updated_at: at,
      },
      t,
    );
    let position = 0;
    for (const g of ordered) {
      const section = await store.insertSection(
        { digest_id: digest.id, title: g.title, kind: "theme", theme_id: g.themeId, position: position++ },
        t,
      );
      await store.insertEntries(
        g.saves.map((s, i) => {
          const c = credits.get(s.id) ?? [];
          return {
            digest_id: digest.id,
            section_id: section.id,
            position: i,
            save_id: s.id,
            url: s.url,
            title: s.title,
            blurb_md: s.blurb_md || s.description.slice(0, 400),
            credits: JSON.stringify(c),
            theme_name: g.themeId ? g.title : "",
            source_name: c[0]?.name || s.site_name || hostOf(s.url),
          };
        }),
        t,
      );
    }
    if (own.length) {
      const section = await store.insertSection(
        { digest_id: digest.id, title: OWN_SECTION, kind: "own", theme_id: null, position: position++ },
        t,
      );
      await store.insertEntries(
        own.map((p, i) => ({
          digest_id: digest.id,
          section_id: section.id,
          position: i,
          post_id: p.id,
          url: `${ctx.config.baseUrl}${postPath(p)}`,
          title: p.title,
          blurb_md: p.summary,
          theme_name: "",
          source_name: "",
        })),
        t,
      );
    }
    return digest.id;
  });
  return { id, entries: saves.length + own.length };
}
