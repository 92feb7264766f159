/**
 * Saves: create (fetching the page's metadata and text), update, delete with undo, and the
 * proposals the save form starts from. Validation errors name the field; a page that cannot
 * be fetched never stops a save. Publishing is delegated to publish.ts.
 */

import { type Actor, allThemes, canEdit, renderMarkdown } from "../../content/index.ts";
import type { AppContext } from "../../lib/context.ts";
import { transaction } from "../../lib/db/transaction.ts";
import { HttpError, NotFoundError, ValidationError } from "../../lib/errors.ts";
import { siteKeyOf } from "../discover/urls.ts";
import { stripTracking } from "../sanitize.ts";
import { type Credit, dedupeCredits, hostOf, proposeCredits } from "./credits.ts";
import { type FetchProblem, fetchPage } from "./fetch.ts";
import { removeLinkPost, syncLinkPost } from "./publish.ts";
import { type SaveOfPeriod, type SaveRow, saveStore } from "./store.ts";

/** What a form, the CLI or another module submits. */
export interface SaveInput {
  url: string;
  /** Empty: the page's own title (else the URL). */
  title?: string;
  /** Markdown. */
  blurb?: string;
  themeIds?: number[];
  /** Nearest first; blank rows are dropped. */
  credits?: Credit[];
  publish?: boolean;
  /** The inbox item it was saved from. */
  itemId?: number | null;
}

/** A save with its credits and themes. */
export interface SaveView {
  save: SaveRow;
  credits: Credit[];
  themeIds: number[];
}

export interface SaveResult extends SaveView {
  /** Set when the page could not be read (the save still happened). */
  problem?: FetchProblem;
}

const MAX_BLURB = 10_000;
/** Deleted saves can be restored for this long. */
const UNDO_MS = 7 * 24 * 3600 * 1000;

/**
 * An absolute http(s) URL with tracking parameters removed, or a ValidationError naming `field`.
 * `label` names the value in messages ("The address", "Credit 2's address").
 */
export function checkUrl(raw: string, field: string, label: string): string {
  const s = raw.trim();
  if (!s) throw new ValidationError(`${field}: ${label} is missing`, { field });
  let u: URL | undefined;
  try {
    u = new URL(s);
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== "http:" && u.protocol !== "https:") || !u.hostname) {
    throw new ValidationError(`${field}: ${label} "${s.slice(0, 100)}" is not a web address (start it with https://)`, {
      field,
    });
  }
  if (s.length > 2000) throw new ValidationError(`${field}: ${label} is too long (2000 characters maximum)`, { field });
  return stripTracking(u.href);
}

/** Validate credit rows (blank rows are fine and dropped). Field names: credits.N.name / credits.N.url. */
export function checkCredits(rows: Credit[], savedUrl: string): Credit[] {
  if (rows.length > 30) throw new ValidationError("credits: at most 30 credits", { field: "credits" });
  const out = rows.map((c, i) => {
    const name = c.name.trim();
    if (name.length > 200) {
      throw new ValidationError(`credits.${i}.name: Credit ${i + 1}'s name is too long (200 characters maximum)`, {
        field: `credits.${i}.name`,
      });
    }
    const url = c.url.trim() ? checkUrl(c.url, `credits.${i}.url`, `Credit ${i + 1}'s address`) : "";
    return { name, url };
  });
  return dedupeCredits(out, [savedUrl]);
}

async function checkThemes(ctx: AppContext, ids: number[], publish: boolean): Promise<number[]> {
  const known = new Set((await allThemes(ctx)).map((t) => t.id));
  const bad = ids.find((id) => !known.has(id));
  if (bad !== undefined) throw new ValidationError(`themeIds: theme ${bad} does not exist`, { field: "themeIds" });
  if (publish && ids.length === 0) {
    throw new ValidationError("themeIds: choose at least one theme to publish this save on the site", {
      field: "themeIds",
    });
  }
  return [...new Set(ids)];
}

function checkBlurb(blurb: string | undefined): string {
  const b = (blurb ?? "").replace(/\r\n/g, "\n").trim();
  if (b.length > MAX_BLURB) {
    throw new ValidationError(`blurb: the blurb is too long (${MAX_BLURB} characters maximum)`, { field: "blurb" });
  }
  return b;
}

function checkTitle(title: string | undefined): string {
  const t = (title ?? "").replace(/\s+/g, " ").trim();
  if (t.length > 300)
    throw new ValidationError("title: the title is too long (300 characters maximum)", { field: "title" });
  return t;
}

function assertCanEdit(actor: Actor, save: Pick<SaveRow, "user_id">): void {
  if (!canEdit(actor, { author_id: save.user_id })) throw new HttpError(403, "You can only change your own saves.");
}

/** A save with its credits and themes, or NotFoundError. */
export async function loadSave(ctx: AppContext, id: number): Promise<SaveView> {
  const store = saveStore(ctx.db);
  const save = await store.byId(id);
  if (!save) throw new NotFoundError("That save does not exist (it may have been deleted).");
  const [credits, themeIds] = await Promise.all([store.credits(id), store.themeIds(id)]);
  return { save, credits, themeIds };
}

/**
 * Create a save. Unless `fetch` is false, the page is fetched for its title, description, author,
 * site name, canonical URL and text; what the user typed always wins over what the page says.
 */
export async function createSave(
  ctx: AppContext,
  actor: Actor,
  input: SaveInput,
  opts: { fetch?: boolean } = {},
): Promise<SaveResult> {
  const url = checkUrl(input.url ?? "", "url", "The address (URL) of the page to save");
  const title = checkTitle(input.title);
  const blurb = checkBlurb(input.blurb);
  const credits = checkCredits(input.credits ?? [], url);
  const publish = input.publish === true;
  const themeIds = await checkThemes(ctx, input.themeIds ?? [], publish);
  const store = saveStore(ctx.db);
  const itemId = input.itemId && (await store.itemExists(input.itemId)) ? input.itemId : null;

  const page = opts.fetch === false ? undefined : await fetchPage(ctx, url);
  const meta = page?.ok ? page.metadata : undefined;
  const ts = ctx.now().toISOString();
  const saved = await transaction(ctx, async (tx) => {
    const t = saveStore(tx.db);
    const row = await t.insert({
      url,
      canonical_url: meta?.canonicalUrl && meta.canonicalUrl !== url ? meta.canonicalUrl : null,
      title: title || meta?.title || url,
      description: meta?.description ?? "",
      author_name: meta?.author ?? "",
      site_name: meta?.siteName || hostOf(url),
      blurb_md: blurb,
      blurb_html: renderMarkdown(blurb).html,
      page_text: page?.ok ? page.text : "",
      item_id: itemId,
      publish: publish ? 1 : 0,
      post_id: null,
      user_id: actor.id,
      created_at: ts,
      updated_at: ts,
    });
    await t.setCredits(row.id, credits);
    await t.setThemes(row.id, themeIds);
    return row;
  });
  const save = publish ? await syncLinkPost(ctx, actor, saved, credits, themeIds) : saved;
  return { save, credits, themeIds, ...(page && !page.ok ? { problem: page.problem } : {}) };
}

/** Update a save (the page is fetched again only when its URL changed). */
export async function updateSave(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: SaveInput,
  opts: { fetch?: boolean } = {},
): Promise<SaveResult> {
  const store = saveStore(ctx.db);
  const existing = await store.byId(id);
  if (!existing) throw new NotFoundError("That save does not exist (it may have been deleted).");
  assertCanEdit(actor, existing);
  const url = checkUrl(input.url ?? "", "url", "The address (URL) of the page to save");
  const title = checkTitle(input.title);
  const blurb = checkBlurb(input.blurb);
  const credits = checkCredits(input.credits ?? [], url);
  const publish = input.publish === true;
  const themeIds = await checkThemes(ctx, input.themeIds ?? [], publish);

  const page = url !== existing.url && opts.fetch !== false ? await fetchPage(ctx, url) : undefined;
  const meta = page?.ok ? page.metadata : undefined;
  const updated = await transaction(ctx, async (tx) => {
    const t = saveStore(tx.db);
    const row = await t.update(id, {
      url,
      title: title || meta?.title || existing.title || url,
      blurb_md: blurb,
      blurb_html: renderMarkdown(blurb).html,
      publish: publish ? 1 : 0,
      updated_at: ctx.now().toISOString(),
      ...(page
        ? {
            canonical_url: meta?.canonicalUrl && meta.canonicalUrl !== url ? meta.canonicalUrl : null,
            description: meta?.description ?? "",
            author_name: meta?.author ?? "",
            site_name: meta?.siteName || hostOf(url),
            page_text: page.ok ? page.text : "",
          }
        : {}),
    });
    await t.setCredits(id, credits);
    await t.setThemes(id, themeIds);
    return row;
  });
  const save = await syncLinkPost(ctx, actor, updated, credits, themeIds);
  return { save, credits, themeIds, ...(page && !page.ok ? { problem: page.problem } : {}) };
}

/** Delete a save (and its link post); it can be restored with `restoreSave` for a week. */
export async function deleteSave(ctx: AppContext, actor: Actor, id: number): Promise<SaveRow> {
  const store = saveStore(ctx.db);
  const { save, credits, themeIds } = await loadSave(ctx, id);
  assertCanEdit(actor, save);
  if (save.post_id !== null) await removeLinkPost(ctx, actor, save.post_id);
  const now = ctx.now();
  await transaction(ctx, async (tx) => {
    const t = saveStore(tx.db);
    await t.putTrash({ deletedAt: now.toISOString(), save: { ...save, post_id: null }, credits, themeIds });
    await t.delete(id);
  });
  await store.purgeTrash(new Date(now.getTime() - UNDO_MS).toISOString());
  return save;
}

/** Undo a delete: the save comes back with its id, credits, themes and (if it was on) its link post. */
export async function restoreSave(ctx: AppContext, actor: Actor, id: number): Promise<SaveRow> {
  const store = saveStore(ctx.db);
  const current = await store.byId(id);
  if (current) return current; // restored already (a double submit)
  const entry = await store.trashed(id);
  if (!entry) throw new NotFoundError("That save can no longer be restored.");
  assertCanEdit(actor, entry.save);
  const known = new Set((await allThemes(ctx)).map((t) => t.id));
  const themeIds = entry.themeIds.filter((t) => known.has(t));
  const itemOk = entry.save.item_id !== null && (await store.itemExists(entry.save.item_id));
  const restored = await transaction(ctx, async (tx) => {
    const t = saveStore(tx.db);
    const row = await t.insert({
      ...entry.save,
      item_id: itemOk ? entry.save.item_id : null,
      // A save whose themes were all deleted meanwhile cannot be published until it gets one.
      publish: entry.save.publish && themeIds.length ? 1 : 0,
      post_id: null,
    });
    await t.setCredits(row.id, entry.credits);
    await t.setThemes(row.id, themeIds);
    await t.dropTrash(id);
    return row;
  });
  return syncLinkPost(ctx, actor, restored, entry.credits, themeIds);
}

/** The title of a deleted save that can still be restored (for the undo notice). */
export async function trashedTitle(ctx: AppContext, id: number): Promise<string | undefined> {
  return (await saveStore(ctx.db).trashed(id))?.save.title;
}

/** What the save form starts from when saving an inbox item: its URL, title and proposed credits. */
export async function proposalForItem(
  ctx: AppContext,
  itemId: number,
): Promise<{ url: string; title: string; credits: Credit[]; itemId: number } | undefined> {
  const found = await saveStore(ctx.db).itemWithSource(itemId);
  if (!found) return undefined;
  const { item, source } = found;
  const url = item.url ?? "";
  const credits = proposeCredits({
    savedUrl: url,
    source: { title: source.custom_title || source.title, siteUrl: source.site_url, feedUrl: source.feed_url },
    item: { url: item.url, viaUrl: item.via_url, html: `${item.content_html}\n${item.summary_html}` },
  });
  return { url, title: item.title, credits, itemId: item.id };
}

/** A credit for a bare URL (the CLI's --via): named after a followed source on that host, else the host. */
export async function creditForUrl(ctx: AppContext, raw: string, index: number): Promise<Credit> {
  const url = checkUrl(raw, `credits.${index}.url`, `Credit ${index + 1}'s address`);
  const source = await saveStore(ctx.db).sourceOnHost(siteKeyOf(url));
  return { name: source ? source.custom_title || source.title || hostOf(url) : hostOf(url), url };
}

/** The credit chains of saves, by save id (nearest first). */
export const creditsOfSaves = (ctx: AppContext, saveIds: number[]): Promise<Map<number, Credit[]>> =>
  saveStore(ctx.db).creditsOf(saveIds);

/** The saves made in [start, end), oldest first. */
export const savesBetween = (ctx: AppContext, start: string, end: string): Promise<SaveOfPeriod[]> =>
  saveStore(ctx.db).savesBetween(start, end);

/** Each save's first theme (id, name, position) by the themes' order. */
export const firstThemesOfSaves = (ctx: AppContext, saveIds: number[]) => saveStore(ctx.db).firstThemesOf(saveIds);
