/**
 * The owner's Export page (/admin/export): what the export holds, and the whole site as a
 * .tar.gz download, streamed while it is written (nothing is kept on the server). Owner only:
 * it holds subscribers', registrants' and senders' personal data.
 */
import { Readable } from "node:stream";
import type { Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import { h } from "../lib/html.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { requireUser } from "../lib/http/require-user.ts";
import { page } from "../lib/ui/layout.ts";
import { exportParts, README, writeExport } from "./run.ts";
import { tarGzSink } from "./sinks.ts";

/** The download's name, and the folder its files unpack into. */
export const archiveName = (now: Date) => `liner-export-${now.toISOString().slice(0, 10)}`;

/** A part's description with its `quoted` names as code (README.txt keeps the backquotes). */
const codeSpans = (text: string) => text.split("`").map((t, i) => (i % 2 ? h`<code>${t}</code>` : t));

export function exportAdminRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/export", requireUser("owner"));
  app.use("/export/*", requireUser("owner"));

  app.get("/export", async (c) => {
    const parts = await exportParts(ctx);
    return page(
      c,
      { title: "Export", section: "export" },
      h`<h1>Export your site</h1>
<p>Everything the site keeps, in open formats other programs read: posts as Markdown, media files,
sources as OPML, saves with their credits as JSON, subscribers with their consent records as CSV,
events as iCalendar, inquiries as CSV and digests as Markdown. ${README} in the download describes each file.</p>
<p class="actions"><a class="button primary" href="/admin/export/download" download>Download the export (.tar.gz)</a></p>
<p>It holds other people's personal data (subscribers, registrants, inquiries): keep it as safe as the site.
On the server, <code>liner export all DIR</code> writes the same files to a folder.</p>
<h2>What is in it</h2>
<dl>${parts.map((p) => h`<dt><code>${p.path}</code></dt><dd>${codeSpans(p.describe)}</dd>`)}</dl>`,
    );
  });

  app.get("/export/download", (c) => {
    const now = ctx.now();
    const name = archiveName(now);
    const sink = tarGzSink(name, now);
    // Written while it is sent: the archive's stream holds back the export when the browser is slow.
    writeExport(ctx, sink).then(
      () => sink.finish(),
      (err: Error) => {
        if (sink.stream.destroyed) ctx.log.info("export download cancelled", { error: err.message });
        else ctx.log.error("export failed", { error: err.stack ?? String(err) });
        sink.fail(err); // the download ends in an error rather than looking complete
      },
    );
    c.header("Content-Type", "application/gzip");
    c.header("Content-Disposition", `attachment; filename="${name}.tar.gz"`);
    c.header("Cache-Control", "no-store");
    return c.body(Readable.toWeb(sink.stream) as ReadableStream);
  });
}
