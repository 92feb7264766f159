/**
 * A digest as the owner edits it: loading it as a view, and the edits (texts, entries, order,
 * removal with undo, a link added by hand with its page metadata fetched like a save, the editor
 * form's save of every text at once). Only drafts can be edited; a sent digest is a record of
 * what went out.
 */

import { emailText } from "../audience/index.ts";
import { renderMarkdown } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError, ValidationError } from "../lib/errors.ts";
import { type FieldErrors, fieldErrorOf } from "../lib/ui/form.ts";
import { type Credit, checkUrl, fetchPage, hostOf } from "../reader/index.ts";
import type { DigestView, EntryView } from "./render.ts";
import { type DigestRow, digestStore, type EntryRow } from "./store.ts";

const MAX_BLURB = 4000;
const MAX_TITLE = 300;

/** A digest and its view (sections with their live entries, in order), plus removed entries for undo. */
export interface LoadedDigest {
  digest: DigestRow;
  view: DigestView;
  removed: EntryRow[];
}

function entryView(e: EntryRow, baseUrl: string): EntryView {
  const r = renderMarkdown(e.blurb_md);
  return {
    id: e.id,
    url: e.url,
    title: e.title,
    blurbMd: e.blurb_md,
    blurbHtml: e.blurb_md ? r.html : "",
    blurbText: e.blurb_md ? emailText(r.html, baseUrl) : "",
    credits: JSON.parse(e.credits) as Credit[],
    clicks: e.clicks,
  };
}

/** Load a digest or throw NotFoundError. */
export async function loadDigest(ctx: AppContext, id: number): Promise<LoadedDigest> {
  const store = digestStore(ctx.db);
  const digest = await store.byId(id);
  if (!digest) throw new NotFoundError(`There is no digest ${id}.`);
  const [sections, entries] = await Promise.all([store.sections(id), store.entries(id)]);
  const intro = renderMarkdown(digest.intro_md);
  const closing = renderMarkdown(digest.closing_md);
  const view: DigestView = {
    id,
    title: digest.title,
    introMd: digest.intro_md,
    introHtml: digest.intro_md ? intro.html : "",
    introText: digest.intro_md ? emailText(intro.html, ctx.config.baseUrl) : "",
    closingMd: digest.closing_md,
    closingHtml: digest.closing_md ? closing.html : "",
    closingText: digest.closing_md ? emailText(closing.html, ctx.config.baseUrl) : "",
    sections: sections.map((s) => ({
      id: s.id,
      title: s.title,
      kind: s.kind,
      entries: entries
        .filter((e) => e.section_id === s.id && !e.removed_at)
        .map((e) => entryView(e, ctx.config.baseUrl)),
    })),
  };
  return { digest, view, removed: entries.filter((e) => e.removed_at) };
}

async function draftOf(ctx: AppContext, id: number): Promise<DigestRow> {
  const d = await digestStore(ctx.db).byId(id);
  if (!d) throw new NotFoundError(`There is no digest ${id}.`);
  if (d.status !== "draft") throw new ValidationError("This digest has been sent; it can no longer be edited.");
  return d;
}

async function entryOf(ctx: AppContext, digestId: number, entryId: number): Promise<EntryRow> {
  const e = await digestStore(ctx.db).entry(entryId);
  if (!e || e.digest_id !== digestId) throw new NotFoundError(`There is no entry ${entryId} in this digest.`);
  return e;
}

const clip = (s: string, max: number, field: string, label: string) => {
  const v = s.trim();
  if (v.length > max) throw new ValidationError(`${label} is longer than ${max} characters.`, { field });
  return v;
};

/** Edit the title, introduction and closing note. */
export async function updateTexts(
  ctx: AppContext,
  id: number,
  t: { title: string; intro: string; closing: string },
): Promise<void> {
  await draftOf(ctx, id);
  const title = clip(t.title, MAX_TITLE, "title", "The title");
  if (!title) throw new ValidationError("The digest needs a title.", { field: "title" });
  await digestStore(ctx.db).update(id, {
    title,
    intro_md: clip(t.intro, 20_000, "intro", "The introduction"),
    closing_md: clip(t.closing, 20_000, "closing", "The closing note"),
    updated_at: ctx.now().toISOString(),
  });
}

/** Edit an entry's title and blurb. */
export async function updateEntry(
  ctx: AppContext,
  digestId: number,
  entryId: number,
  e: { title?: string; blurb?: string },
): Promise<void> {
  await draftOf(ctx, digestId);
  await entryOf(ctx, digestId, entryId);
  const patch: Partial<EntryRow> = {};
  if (e.title !== undefined) {
    patch.title = clip(e.title, MAX_TITLE, `title-${entryId}`, "An entry's title");
    if (!patch.title) throw new ValidationError("An entry needs a title.", { field: `title-${entryId}` });
  }
  if (e.blurb !== undefined) patch.blurb_md = clip(e.blurb, MAX_BLURB, `blurb-${entryId}`, "A blurb");
  await digestStore(ctx.db).updateEntry(entryId, patch);
}

/**
 * Save every text an editor form carries: the title, introduction and closing note, and the
 * title and blurb of each live entry. `field(name)` is the submitted value, or undefined when the
 * form did not carry that field (it is left as stored). A field that does not validate is not
 * saved, the others are; returns the problems by field name.
 */
export async function saveDraftTexts(
  ctx: AppContext,
  id: number,
  field: (name: string) => string | undefined,
): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const attempt = async (fallback: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { field, message } = fieldErrorOf(err);
      errors[field || fallback] = message;
    }
  };
  const { digest, view } = await loadDigest(ctx, id);
  const [title, intro, closing] = [field("title"), field("intro"), field("closing")];
  if (title !== undefined || intro !== undefined || closing !== undefined) {
    await attempt("title", () =>
      updateTexts(ctx, id, {
        title: title ?? digest.title,
        intro: intro ?? digest.intro_md,
        closing: closing ?? digest.closing_md,
      }),
    );
  }
  for (const e of view.sections.flatMap((s) => s.entries)) {
    const [t, b] = [field(`title-${e.id}`), field(`blurb-${e.id}`)];
    if (t === undefined && b === undefined) continue;
    await attempt(`title-${e.id}`, () => updateEntry(ctx, id, e.id, { title: t, blurb: b }));
  }
  return errors;
}

/** Remove an entry (undoable until the digest is sent) or bring it back. */
export async function setRemoved(ctx: AppContext, digestId: number, entryId: number, removed: boolean): Promise<void> {
  await draftOf(ctx, digestId);
  await entryOf(ctx, digestId, entryId);
  await digestStore(ctx.db).updateEntry(entryId, { removed_at: removed ? ctx.now().toISOString() : null });
}

/** Sections in order, each with its entry ids in order. */
export type DigestOrder = { section: number; entries: number[] }[];

/**
 * Set the whole order at once: sections in order, each with its entry ids in order. Used by
 * drag and drop (the page posts the order it shows) and by the up/down buttons. Entries may move
 * between sections; ids not of this digest are refused.
 */
export async function reorder(ctx: AppContext, digestId: number, order: DigestOrder): Promise<void> {
  await draftOf(ctx, digestId);
  const store = digestStore(ctx.db);
  const sections = new Set((await store.sections(digestId)).map((s) => s.id));
  const entries = new Set((await store.entries(digestId)).map((e) => e.id));
  for (const o of order) {
    if (!sections.has(o.section))
      throw new ValidationError(`Section ${o.section} is not in this digest.`, { field: "order" });
    for (const e of o.entries)
      if (!entries.has(e)) throw new ValidationError(`Entry ${e} is not in this digest.`, { field: "order" });
  }
  await store.transaction(async (t) => {
    for (const [i, o] of order.entries()) {
      await store.updateSection(o.section, { position: i }, t);
      for (const [j, e] of o.entries.entries()) await store.updateEntry(e, { section_id: o.section, position: j }, t);
    }
  });
}

/**
 * Set the order from the editor's drag and drop: unlike `reorder`, the order must name every
 * section and live entry of the digest once, and nothing else (a page that missed a change
 * cannot drop what it did not show).
 */
export async function setOrder(ctx: AppContext, digestId: number, order: DigestOrder): Promise<void> {
  await draftOf(ctx, digestId);
  const store = digestStore(ctx.db);
  const sections = new Set((await store.sections(digestId)).map((s) => s.id));
  const entries = new Set((await store.entries(digestId)).filter((e) => !e.removed_at).map((e) => e.id));
  const seenS = new Set<number>();
  const seenE = new Set<number>();
  for (const o of order) {
    if (!sections.has(o.section))
      throw new ValidationError(`Section ${o.section} is not in this digest.`, { field: "order" });
    if (seenS.has(o.section)) throw new ValidationError(`Section ${o.section} is listed twice.`, { field: "order" });
    seenS.add(o.section);
    for (const e of o.entries) {
      if (!entries.has(e)) throw new ValidationError(`Entry ${e} is not in this digest.`, { field: "order" });
      if (seenE.has(e)) throw new ValidationError(`Entry ${e} is listed twice.`, { field: "order" });
      seenE.add(e);
    }
  }
  if (seenS.size !== sections.size || seenE.size !== entries.size)
    throw new ValidationError("The order must list every section and entry of the digest.", { field: "order" });
  await reorder(ctx, digestId, order);
}

/** Move an entry or a section one place up (-1) or down (+1): the no-JavaScript reordering. */
export async function move(
  ctx: AppContext,
  digestId: number,
  what: "entry" | "section",
  id: number,
  by: -1 | 1,
): Promise<void> {
  const { view } = await loadDigest(ctx, digestId);
  const order = view.sections.map((s) => ({ section: s.id, entries: s.entries.map((e) => e.id) }));
  const swap = <T>(list: T[], i: number) => {
    const j = i + by;
    if (i < 0 || j < 0 || j >= list.length) return false;
    [list[i], list[j]] = [list[j], list[i]];
    return true;
  };
  if (what === "section") {
    if (
      !swap(
        order,
        order.findIndex((o) => o.section === id),
      )
    )
      return;
  } else {
    const at = order.findIndex((o) => o.entries.includes(id));
    if (at < 0) throw new NotFoundError(`There is no entry ${id} in this digest.`);
    const list = order[at].entries;
    const i = list.indexOf(id);
    // Past the end of its section, an entry moves into the next (or previous) section.
    if (!swap(list, i)) {
      const next = order[at + by];
      if (!next) return;
      list.splice(i, 1);
      if (by > 0) next.entries.unshift(id);
      else next.entries.push(id);
    }
  }
  await reorder(ctx, digestId, order);
}

/** Add a link by hand, with its title and description fetched like a save's; returns the entry id. */
export async function addLink(
  ctx: AppContext,
  digestId: number,
  input: { url: string; blurb?: string; sectionId?: number },
): Promise<number> {
  await draftOf(ctx, digestId);
  const url = checkUrl(input.url, "url", "The address (URL) of the link");
  const blurb = clip(input.blurb ?? "", MAX_BLURB, "blurb", "The blurb");
  const store = digestStore(ctx.db);
  const sections = await store.sections(digestId);
  let section = sections.find((s) => s.id === input.sectionId) ?? sections.find((s) => s.kind === "manual");
  section ??= await store.insertSection({
    digest_id: digestId,
    title: "Also noted",
    kind: "manual",
    theme_id: null,
    position: sections.length,
  });
  const page = await fetchPage(ctx, url);
  const meta = page.ok ? page.metadata : undefined;
  const position = (await store.entries(digestId)).filter((e) => e.section_id === section.id).length;
  await store.insertEntries([
    {
      digest_id: digestId,
      section_id: section.id,
      position,
      url,
      title: meta?.title || url,
      blurb_md: blurb || meta?.description?.slice(0, 400) || "",
      theme_name: section.kind === "theme" && section.theme_id ? section.title : "",
      source_name: meta?.siteName || hostOf(url),
    },
  ]);
  const added = (await store.entries(digestId)).filter((e) => e.section_id === section.id && e.position === position);
  return added[added.length - 1].id;
}
