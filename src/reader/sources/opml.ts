/**
 * OPML import and export (feedsmith's parseOpml/generateOpml). Folders nest as outlines without
 * an xmlUrl. An import is all or nothing: the file is read and checked completely first, then
 * written in one transaction; a broken file is reported with the reason and nothing is imported.
 * Feeds already followed (or listed twice) are skipped and counted.
 */
import { generateOpml, parseOpml } from "feedsmith";
import type { AppContext } from "../../lib/context.ts";
import { ValidationError } from "../../lib/errors.ts";
import { checkXml } from "../feed/xmlcheck.ts";
import { ensurePollJob } from "./jobs.ts";
import { siteHostOf } from "./rows.ts";
import type { FolderNode, SourceInfo } from "./service.ts";
import { sourceTree } from "./service.ts";
import { type ImportFolder, sourceStore } from "./store.ts";

type Outline = {
  text?: string;
  title?: string;
  type?: string;
  xmlUrl?: string;
  htmlUrl?: string;
  url?: string;
  outlines?: Outline[];
};

export interface ImportResult {
  added: number;
  /** Feeds already followed, or listed more than once in the file. */
  duplicates: number;
  /** Folders created (folders with the same name in the same place are reused). */
  folders: number;
  /** Outlines that are neither feeds nor folders (links, notes). */
  skipped: number;
}

const MAX_DEPTH = 20;
const broken = (reason: string) =>
  new ValidationError(`The OPML file could not be imported: ${reason} Nothing was imported.`, { field: "file" });

/** Check the file and turn it into the folder tree to import. Throws ValidationError (field `file`). Pure. */
export function readOpml(raw: string, now: string): { root: ImportFolder; skipped: number } {
  const text = raw.replace(/^\uFEFF/, "");
  const top: ImportFolder = { name: "", entries: [] };
  if (!text.trim()) throw broken("the file is empty.");
  if (!text.trimStart().startsWith("<")) throw broken("it is not XML (an OPML file starts with <?xml or <opml>).");
  let root: string;
  try {
    // The XML parser underneath is lenient: a cut-off file would import half its feeds.
    root = checkXml(text);
  } catch (err) {
    throw broken(`${err instanceof Error ? err.message : String(err)}.`);
  }
  if (root.toLowerCase() !== "opml") throw broken(`it is not OPML: its root element is <${root}>, not <opml>.`);
  let doc: { body?: { outlines?: Outline[] } };
  try {
    doc = parseOpml(text) as typeof doc;
  } catch (err) {
    if (!/<body[\s>/]/i.test(text)) throw broken("it has no <body> element.");
    // feedsmith refuses an OPML file without outlines; that is an empty list of feeds, not an error.
    if (!/<outline[\s>/]/i.test(text)) return { root: top, skipped: 0 };
    const cause = (err as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? ` (${cause.message.split("\n")[0].slice(0, 200)})` : "";
    throw broken(`it is not well-formed OPML${detail}.`);
  }
  if (!doc.body) {
    if (!/<body[\s>/]/i.test(text)) throw broken("it has no <body> element.");
    return { root: top, skipped: 0 };
  }
  let skipped = 0;
  const walk = (outlines: Outline[], into: ImportFolder, depth: number, where: string) => {
    if (depth > MAX_DEPTH) throw broken(`its folders are nested more than ${MAX_DEPTH} deep (at “${where}”).`);
    for (const o of outlines) {
      const name = (o.text || o.title || "").trim();
      if (o.xmlUrl !== undefined) {
        const feedUrl = absoluteHttp(o.xmlUrl);
        if (!feedUrl) {
          throw broken(`the outline “${name || "(untitled)"}” has an invalid feed address (xmlUrl "${o.xmlUrl}").`);
        }
        const title = (o.title || o.text || "").trim().slice(0, 300);
        const siteUrl = o.htmlUrl ? (absoluteHttp(o.htmlUrl) ?? "") : "";
        into.entries.push({
          feed_url: feedUrl,
          site_url: siteUrl,
          site_host: siteHostOf(siteUrl || feedUrl),
          title,
          // A text that differs from the title is a name the user gave in their old reader.
          custom_title: o.text && o.title && o.text.trim() !== o.title.trim() ? o.text.trim().slice(0, 300) : "",
          next_fetch_at: now,
          created_at: now,
        });
        if (o.outlines?.length) walk(o.outlines, into, depth + 1, name);
      } else if (o.outlines?.length || (!o.url && o.type !== "link" && name)) {
        const folder: ImportFolder = { name: (name || "Untitled").slice(0, 100), entries: [] };
        into.entries.push(folder);
        walk(o.outlines ?? [], folder, depth + 1, name);
      } else {
        skipped++;
      }
    }
  };
  walk(doc.body.outlines ?? [], top, 0, "");
  return { root: top, skipped };
}

function absoluteHttp(raw: string): string | null {
  try {
    const u = new URL(raw.trim());
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

/** Import an OPML file's feeds and folders (all or nothing), and poll the new feeds soon. */
export async function importOpml(ctx: AppContext, text: string): Promise<ImportResult> {
  const now = ctx.now().toISOString();
  const { root, skipped } = readOpml(text, now);
  const r = await sourceStore(ctx.db).importTree(root, now);
  if (r.added) await ensurePollJob(ctx);
  return { ...r, skipped };
}

/** Every followed source as OPML 2.0, folders as nested outlines. */
export async function exportOpml(ctx: AppContext, title = "Liner Notes subscriptions"): Promise<string> {
  const tree = await sourceTree(ctx);
  const feed = (s: SourceInfo): Outline => ({
    type: "rss",
    text: s.name,
    title: s.title || s.name,
    xmlUrl: s.feed_url,
    ...(s.site_url ? { htmlUrl: s.site_url } : {}),
  });
  const folder = (n: FolderNode): Outline => ({
    text: n.folder.name,
    title: n.folder.name,
    outlines: [...n.children.map(folder), ...n.sources.map(feed)],
  });
  const outlines = [...tree.folders.map(folder), ...tree.unfiled.map(feed)];
  const head = { title, dateCreated: ctx.now() };
  if (outlines.length) return generateOpml({ head, body: { outlines: outlines as never } });
  // feedsmith refuses to write an OPML file without outlines; following nothing is a valid export.
  const empty = generateOpml({ head, body: { outlines: [{ text: "-" }] } });
  return empty.replace(/<body>[\s\S]*<\/body>/, "<body/>");
}
