/**
 * The digest module's part of the site export (`liner export all`): every digest (drafts too) as
 * the Markdown its Export button downloads, and an index in JSON with each digest's details and
 * entries (links, credits, clicks).
 */
import { slugify } from "../content/index.ts";
import type { ExportPart } from "../lib/module.ts";
import { digestUrl } from "./publish.ts";
import { digestMarkdown } from "./render.ts";
import { loadDigest } from "./service.ts";
import { digestStore } from "./store.ts";

const digests: ExportPart = {
  path: "digests/",
  describe:
    "Every digest (drafts too) as Markdown, ID-TITLE.md: its title, introduction, sections of links with " +
    "blurbs and credits, and closing note. _digests.json lists each digest's status, period, send time, " +
    "whether it was private, the lists it went to (ids), its page, its file, and its entries with their " +
    "section, URL, credits and clicks.",
  noun: ["digest", "digests"],
  async write(ctx, sink) {
    const rows = (await digestStore(ctx.db).list(Number.MAX_SAFE_INTEGER)).reverse();
    const index = [];
    for (const [i, d] of rows.entries()) {
      const { view } = await loadDigest(ctx, d.id);
      const name = `${d.id}-${slugify(d.title, 60) || "digest"}.md`;
      await sink.file(`digests/${name}`, digestMarkdown(view));
      index.push({
        id: d.id,
        title: d.title,
        status: d.status,
        period_start: d.period_start,
        period_end: d.period_end,
        send_at: d.send_at,
        sent_at: d.sent_at,
        private: d.is_private === 1,
        list_ids: JSON.parse(d.list_ids) as number[],
        // A private digest's page carries its secret: the owner's to keep, as in the admin.
        page: d.status === "sent" ? await digestUrl(ctx, d) : null,
        file: name,
        entries: view.sections.flatMap((s) =>
          s.entries.map((e) => ({
            section: s.title,
            url: e.url,
            title: e.title,
            credits: e.credits,
            clicks: e.clicks,
          })),
        ),
      });
      sink.progress(i + 1, rows.length);
    }
    await sink.file("digests/_digests.json", `${JSON.stringify(index, null, 2)}\n`);
    return rows.length;
  },
};

/** The digest module's export parts. */
export const digestExports: ExportPart[] = [digests];
