/**
 * The reader's parts of the site export (`liner export all`): the followed sources as OPML (the
 * file the Sources page downloads) and every save as JSON with its credit chain.
 */
import { allThemes, postById, postPath } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import type { ExportPart } from "../lib/module.ts";
import { creditLine } from "./saves/credits.ts";
import { saveStore } from "./saves/store.ts";
import { exportOpml } from "./sources/opml.ts";
import { listSources } from "./sources/service.ts";

const PAGE = 500;

/** Every save, newest first, as the export writes it. */
export async function savesForExport(ctx: AppContext, onProgress: (done: number, total: number) => void) {
  const store = saveStore(ctx.db);
  const themeNames = new Map((await allThemes(ctx)).map((t) => [t.id, t.name]));
  const total = await store.count();
  const out = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.list(PAGE, offset);
    if (!page.length) break;
    const ids = page.map((s) => s.id);
    const [credits, themes] = await Promise.all([store.creditsOf(ids), store.themeIdsOf(ids)]);
    for (const s of page) {
      const chain = credits.get(s.id) ?? [];
      const post = s.post_id === null ? undefined : await postById(ctx, s.post_id);
      out.push({
        id: s.id,
        url: s.url,
        canonical_url: s.canonical_url,
        title: s.title,
        description: s.description,
        author_name: s.author_name,
        site_name: s.site_name,
        blurb_md: s.blurb_md,
        themes: (themes.get(s.id) ?? []).map((id) => themeNames.get(id)).filter((n) => n !== undefined),
        // Nearest first: who the owner found it through, then who they found it at, and so on.
        credits: chain,
        credit_line: creditLine(chain),
        published_as: post ? ctx.config.baseUrl + postPath(post) : null,
        created_at: s.created_at,
        updated_at: s.updated_at,
      });
      onProgress(out.length, Math.max(total, out.length));
    }
  }
  return out;
}

const sources: ExportPart = {
  path: "sources.opml",
  describe:
    "The feeds the reader follows, as OPML 2.0 (folders as nested outlines): any feed reader can import it, " +
    "and so can `liner sources import-opml`.",
  noun: ["source", "sources"],
  async write(ctx, sink) {
    await sink.file("sources.opml", await exportOpml(ctx));
    return (await listSources(ctx)).length;
  },
};

const saves: ExportPart = {
  path: "saves.json",
  describe:
    "Every save (a link kept with a note) as a JSON array, newest first: its URL, title, description, site, " +
    "the owner's blurb in Markdown, themes, the credit chain (`credits`, nearest first: the person or site it " +
    "came through, then where they found it, each with a name and URL; `credit_line` says it in words), the URL " +
    "of the post it was published as, and when it was saved. The text fetched from each page is left out.",
  noun: ["save", "saves"],
  async write(ctx, sink) {
    const rows = await savesForExport(ctx, (done, total) => sink.progress(done, total));
    await sink.file("saves.json", `${JSON.stringify(rows, null, 2)}\n`);
    return rows.length;
  },
};

/** The reader's export parts. */
export const readerExports: ExportPart[] = [sources, saves];
