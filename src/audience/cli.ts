/**
 * `liner lists add SLUG --name NAME [--private] [--promise TEXT]`, `liner lists list`,
 * `liner subscribers add EMAIL --list SLUG [--confirmed]`,
 * `liner subscribers import FILE.csv --list SLUG [--dry-run] [--skip-bad]`,
 * `liner subscribers export --list SLUG` and
 * `liner mail send-post SLUG --list SLUG... [--count-opens]`.
 */
import { lineWriter, parseCommand, plainErrors, UsageError, withContext } from "../lib/cli.ts";
import type { CliIo } from "../lib/module.ts";

export async function listsAdd(args: string[], io: CliIo): Promise<number> {
  const say = lineWriter(io.stdout);
  const { values, positionals } = parseCommand(
    "lists add",
    args,
    { name: { type: "string" }, private: { type: "boolean" }, promise: { type: "string" } },
    ["SLUG"],
  );
  if (typeof values.name !== "string") throw new UsageError("missing --name NAME", "lists add");
  return withContext(io, async (ctx) => {
    const { createList } = await import("./service.ts");
    const list = await plainErrors(() =>
      createList(ctx, {
        slug: positionals[0],
        name: values.name as string,
        promise: (values.promise as string | undefined) ?? "",
        isPublic: values.private !== true,
      }),
    );
    say(`Created list “${list.name}” (${list.slug}, ${list.is_public ? "public" : "private"}).`);
    return 0;
  });
}

/** `liner lists list`: one line per list with its counts. */
export async function listsList(args: string[], io: CliIo): Promise<number> {
  const say = lineWriter(io.stdout);
  parseCommand("lists list", args, {});
  return withContext(io, async (ctx) => {
    const { listCounts } = await import("./subscribers.ts");
    const counts = await listCounts(ctx);
    if (counts.length === 0) say("No lists yet. Create one with liner lists add SLUG --name NAME.");
    for (const c of counts) {
      say(
        `${c.list.slug}\t${c.list.name}\t${c.list.is_public ? "public" : "private"}\t` +
          `${c.confirmed} confirmed, ${c.pending} pending, ${c.unsubscribed} unsubscribed`,
      );
    }
    return 0;
  });
}

export async function subscribersAdd(args: string[], io: CliIo): Promise<number> {
  const say = lineWriter(io.stdout);
  const { values, positionals } = parseCommand(
    "subscribers add",
    args,
    { list: { type: "string" }, confirmed: { type: "boolean" } },
    ["EMAIL"],
  );
  if (typeof values.list !== "string") throw new UsageError("missing --list SLUG", "subscribers add");
  return withContext(io, async (ctx) => {
    const { addSubscriber } = await import("./service.ts");
    const r = await plainErrors(() =>
      addSubscriber(ctx, {
        email: positionals[0],
        list: values.list as string,
        confirmed: values.confirmed === true,
        source: `added with liner subscribers add on ${ctx.now().toISOString().slice(0, 10)}`,
      }),
    );
    say(
      r.status === "confirmed"
        ? `Added ${positionals[0].trim().toLowerCase()} to ${values.list} (confirmed).`
        : `Added ${positionals[0].trim().toLowerCase()} to ${values.list}: a confirmation email is queued; nothing else is sent until it is confirmed.`,
    );
    return 0;
  });
}

export async function mailSendPost(args: string[], io: CliIo): Promise<number> {
  const say = lineWriter(io.stdout);
  const { values, positionals } = parseCommand(
    "mail send-post",
    args,
    { list: { type: "string", multiple: true }, "count-opens": { type: "boolean" } },
    ["SLUG"],
  );
  const lists = (values.list as string[] | undefined) ?? [];
  if (lists.length === 0) throw new UsageError("missing --list SLUG", "mail send-post");
  return withContext(io, async (ctx) => {
    const { sendPost } = await import("./post-send.ts");
    const r = await plainErrors(() =>
      sendPost(ctx, positionals[0], lists, undefined, { countOpens: values["count-opens"] === true }),
    );
    say(
      `Queued send #${r.sendId} to ${r.recipients} subscriber${r.recipients === 1 ? "" : "s"}; ` +
        `\`liner serve\` or \`liner worker\` delivers it (follow it with liner mail status ${r.sendId}).`,
    );
    return 0;
  });
}

/** `liner subscribers import FILE.csv --list SLUG [--dry-run] [--skip-bad]`: exit 1 when refused. */
export async function subscribersImport(args: string[], io: CliIo): Promise<number> {
  const say = lineWriter(io.stdout);
  const { values, positionals } = parseCommand(
    "subscribers import",
    args,
    { list: { type: "string" }, "dry-run": { type: "boolean" }, "skip-bad": { type: "boolean" } },
    ["FILE"],
  );
  if (typeof values.list !== "string") throw new UsageError("missing --list SLUG", "subscribers import");
  const fs = await import("node:fs");
  // A missing or unreadable file is reported by the CLI shell in one line ("FILE: no such file").
  const csv = fs.readFileSync(positionals[0], "utf8");
  return withContext(io, async (ctx) => {
    const { importSubscribers, reportLines } = await import("./subscribers-import.ts");
    const report = await plainErrors(() =>
      importSubscribers(ctx, {
        csv,
        fileName: positionals[0],
        list: values.list as string,
        dryRun: values["dry-run"] === true,
        skipBad: values["skip-bad"] === true,
      }),
    );
    for (const line of reportLines(report)) say(line);
    if (report.refused) {
      io.stderr.write("liner: refused because of bad rows; nothing was imported (--skip-bad imports the rest)\n");
      return 1;
    }
    return 0;
  });
}

/** `liner subscribers export --list SLUG`: the list as CSV on standard output. */
export async function subscribersExport(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand("subscribers export", args, { list: { type: "string" } });
  if (typeof values.list !== "string") throw new UsageError("missing --list SLUG", "subscribers export");
  return withContext(io, async (ctx) => {
    const { exportCsv } = await import("./subscribers.ts");
    const { csv } = await plainErrors(() => exportCsv(ctx, values.list as string));
    io.stdout.write(csv);
    return 0;
  });
}
