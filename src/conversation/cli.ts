/**
 * `liner conversations list [--pending] [--json] [--limit N]` and
 * `liner conversations approve|spam|delete ID...`.
 */
import { CliError, intFlag, lineWriter, parseCommand, UsageError, withContext } from "../lib/cli.ts";
import type { CliCommand, CliIo } from "../lib/module.ts";
import type { ModerationAction } from "./moderate.ts";
import type { ListedItem } from "./store.ts";

/** One item as `--json` prints it. */
function jsonOf(i: ListedItem) {
  return {
    id: i.id,
    kind: i.kind,
    via: i.via,
    author: { name: i.author_name, url: i.author_url },
    post: i.post_slug,
    text: i.text,
    status: i.status,
    received_at: i.received_at,
    parent_id: i.parent_id,
    source: i.source_url,
  };
}

/** `liner conversations list`. */
export async function conversationsList(args: string[], io: CliIo): Promise<number> {
  const say = lineWriter(io.stdout);
  const { values } = parseCommand("conversations list", args, {
    pending: { type: "boolean" },
    json: { type: "boolean" },
    limit: { type: "string" },
  });
  const limit = intFlag("conversations list", "limit", values.limit, 1, 100_000) ?? 100;
  return withContext(
    io,
    async (ctx) => {
      const { itemStore } = await import("./store.ts");
      const items = await itemStore(ctx.db).list({ status: values.pending ? "pending" : undefined, limit });
      if (values.json) {
        for (const i of items) say(JSON.stringify(jsonOf(i)));
        return 0;
      }
      if (!items.length) say(values.pending ? "Nothing is waiting for moderation." : "No conversations yet.");
      for (const i of items) {
        const text = i.text.replace(/\s+/g, " ").slice(0, 80);
        say(
          `${i.id}\t${i.status}\t${i.kind} via ${i.via}\t${i.author_name}\t${i.post_slug}\t${i.received_at.slice(0, 16)}\t${text}`,
        );
      }
      return 0;
    },
    { mustExist: true },
  );
}

/** `liner conversations approve|spam|delete ID...`. */
export function conversationsModerate(verb: "approve" | "spam" | "delete"): CliCommand {
  const command = `conversations ${verb}`;
  return async (args, io) => {
    const say = lineWriter(io.stdout);
    const { positionals } = parseCommand(command, args, {}, ["ID"], Array(10_000).fill("ID"));
    const bad = positionals.find((p) => !/^\d{1,15}$/.test(p) || Number(p) < 1);
    if (bad !== undefined)
      throw new UsageError(`ID must be a positive whole number (got ${JSON.stringify(bad)})`, command);
    const ids = positionals.map(Number);
    return withContext(
      io,
      async (ctx) => {
        const { moderate } = await import("./moderate.ts");
        const { changed, missing } = await moderate(ctx, ids, verb as ModerationAction);
        const done = verb === "approve" ? "approved" : verb === "spam" ? "marked as spam" : "deleted";
        say(`${changed} ${changed === 1 ? "item" : "items"} ${done}.`);
        if (missing.length) throw new CliError(`No such item: ${missing.join(", ")} (see liner conversations list).`);
        return 0;
      },
      { mustExist: true },
    );
  };
}
