/**
 * `liner digest draft [--since DATE]`, `liner digest send ID --list SLUG...`,
 * `liner digest list` and `liner digest export ID --format md|html`.
 */
import { lineWriter, parseCommand, plainErrors, UsageError, withContext } from "../lib/cli.ts";
import type { CliIo } from "../lib/module.ts";
import { parseDay } from "../lib/time.ts";

function digestId(raw: string, command: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError(`"${raw}" is not a digest id`, command);
  return id;
}

export async function digestDraft(args: string[], io: CliIo): Promise<number> {
  const say = lineWriter(io.stdout);
  const { values } = parseCommand("digest draft", args, { since: { type: "string" } });
  let since: Date | undefined;
  if (typeof values.since === "string") {
    // A day is read strictly (2026-02-30 is a typo, not 2 March); a full timestamp as Date reads it.
    since = /^\d{4}-\d{2}-\d{2}$/.test(values.since)
      ? (parseDay(values.since) ?? new Date(Number.NaN))
      : new Date(values.since);
    if (Number.isNaN(since.getTime()))
      throw new UsageError(`--since: "${values.since}" is not a date (use YYYY-MM-DD)`, "digest draft");
  }
  return withContext(io, async (ctx) => {
    const { draftDigest } = await import("./compose.ts");
    const { loadDigest } = await import("./service.ts");
    const { id } = await plainErrors(() => draftDigest(ctx, { since }));
    const { digest, view } = await loadDigest(ctx, id);
    say(
      `Draft digest ${id}: “${digest.title}” (${digest.period_start.slice(0, 10)} to ${digest.period_end.slice(0, 10)})`,
    );
    for (const s of view.sections) {
      say(`\n${s.title}`);
      for (const e of s.entries) say(`  [${e.id}] ${e.title}  ${e.url}`);
    }
    if (view.sections.length === 0) say("(no entries: nothing was saved in the period)");
    return 0;
  });
}

export async function digestSend(args: string[], io: CliIo): Promise<number> {
  const say = lineWriter(io.stdout);
  const { values, positionals } = parseCommand("digest send", args, { list: { type: "string", multiple: true } }, [
    "ID",
  ]);
  const lists = (values.list as string[] | undefined) ?? [];
  if (lists.length === 0) throw new UsageError("missing --list SLUG", "digest send");
  const id = digestId(positionals[0], "digest send");
  return withContext(io, async (ctx) => {
    const { sendDigest } = await import("./publish.ts");
    const r = await plainErrors(() => sendDigest(ctx, id, lists));
    say(
      `Digest ${id} queued to ${r.recipients} recipient${r.recipients === 1 ? "" : "s"} (send ${r.sendId}); its page: ${r.url}`,
    );
    say(`Follow it with: liner mail status ${r.sendId}`);
    return 0;
  });
}

export async function digestList(args: string[], io: CliIo): Promise<number> {
  const say = lineWriter(io.stdout);
  parseCommand("digest list", args, {});
  return withContext(io, async (ctx) => {
    const { digestStore } = await import("./store.ts");
    const rows = await digestStore(ctx.db).list(100);
    if (rows.length === 0) say("No digests yet. Make one with: liner digest draft");
    for (const d of rows) {
      say(`${d.id}\t${d.status}${d.is_private ? " (private)" : ""}\t${d.period_end.slice(0, 10)}\t${d.title}`);
    }
    return 0;
  });
}

export async function digestExport(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand("digest export", args, { format: { type: "string" } }, ["ID"]);
  const format = (values.format as string | undefined) ?? "md";
  if (format !== "md" && format !== "html")
    throw new UsageError(`--format: "${format}" is not md or html`, "digest export");
  const id = digestId(positionals[0], "digest export");
  return withContext(io, async (ctx) => {
    const { loadDigest } = await import("./service.ts");
    const { digestExportHtml, digestMarkdown } = await import("./render.ts");
    const { view } = await plainErrors(() => loadDigest(ctx, id));
    io.stdout.write(format === "md" ? digestMarkdown(view) : digestExportHtml(view));
    return 0;
  });
}
