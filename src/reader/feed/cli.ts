/**
 * `liner feed parse FILE|URL... [--base URL] [--json]`: print feeds as normalized JSON. Needs no
 * database; URLs go through the guarded fetcher (LINER_ALLOW_PRIVATE_FETCH=1 for loopback).
 */
import fs from "node:fs/promises";
import { parseArgs } from "node:util";
import { HelpRequest, UsageError } from "../../lib/cli.ts";
import { loadConfig } from "../../lib/config.ts";
import type { CliIo } from "../../lib/module.ts";
import { createFetcher } from "../../lib/net/fetcher.ts";
import type { Fetcher } from "../../lib/net/types.ts";
import { parseFeed } from "./parse.ts";
import type { Feed } from "./types.ts";

const ACCEPT =
  "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, " +
  "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";

/** The CLI's documented shape: the Feed without the fields beyond it (isPodcast, via, ...). */
export function feedJson(feed: Feed) {
  return {
    format: feed.format,
    title: feed.title,
    link: feed.link,
    description: feed.description,
    language: feed.language,
    updated: feed.updated,
    authors: feed.authors.map((a) => ({ name: a.name, email: a.email, url: a.url })),
    image: feed.image,
    items: feed.items.map((i) => ({
      id: i.id,
      title: i.title,
      link: i.link,
      published: i.published,
      updated: i.updated,
      authors: i.authors.map((a) => ({ name: a.name, email: a.email, url: a.url })),
      summary: i.summary,
      content: i.content,
      categories: i.categories,
      enclosures: i.enclosures.map((e) => ({ url: e.url, type: e.type, length: e.length })),
      comments: i.comments,
    })),
  };
}

function isUrl(input: string): boolean {
  return /^https?:\/\//i.test(input);
}

async function load(input: string, base: string | undefined, fetcher: () => Fetcher): Promise<Feed> {
  if (isUrl(input)) {
    const res = await fetcher().fetch(input, { headers: { Accept: ACCEPT } });
    if (res.status < 200 || res.status > 299) throw new Error(`${input} answered HTTP ${res.status}`);
    // --base, when given, wins over the fetched URL (as for files), e.g. for a feed behind a proxy.
    return parseFeed(res.body, { url: res.url, base, contentType: res.headers.get("content-type") });
  }
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(input);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // The input is named next to the message already (stderr prefix or the "input" key).
    throw new Error(
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a folder, not a file" : (err as Error).message,
    );
  }
  return parseFeed(bytes, { base });
}

const flags = {
  base: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function parseFlags(args: string[]) {
  try {
    return parseArgs({ args, options: flags, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split("\n")[0], "feed parse");
  }
}

export async function feedParse(args: string[], io: CliIo): Promise<number> {
  const parsed = parseFlags(args);
  const { values, positionals: inputs } = parsed;
  if (values.help) throw new HelpRequest("feed parse");
  if (!inputs.length) throw new UsageError("missing FILE or URL", "feed parse");
  const base = values.base;
  if (base !== undefined && !isUrl(base)) {
    throw new UsageError(`--base must be an absolute http(s) URL (got ${JSON.stringify(base)})`, "feed parse");
  }
  // Only URLs need the configuration (LINER_ALLOW_PRIVATE_FETCH): files parse anywhere.
  const config = inputs.some(isUrl) ? loadConfig(io.env, io.config) : null;
  let client: Fetcher | null = null;
  // Called for URL inputs only, so the configuration is loaded.
  const fetcher = () => {
    client ??= createFetcher({
      allowPrivate: config!.allowPrivateFetch,
      userAgent: `LinerNotes/0.1 (+${config!.baseUrl})`,
    });
    return client;
  };

  if (inputs.length === 1) {
    let feed: Feed;
    try {
      feed = await load(inputs[0], base, fetcher);
    } catch (err) {
      io.stderr.write(`liner: ${inputs[0]}: ${(err as Error).message}\n`);
      return 1;
    }
    io.stdout.write(`${JSON.stringify(feedJson(feed), null, values.json ? undefined : 2)}\n`);
    return 0;
  }
  // Several inputs: one JSON object per line, in input order; a failure does not stop the rest.
  let failed = 0;
  for (const input of inputs) {
    let line: string;
    try {
      line = JSON.stringify({ input, ...feedJson(await load(input, base, fetcher)) });
    } catch (err) {
      failed++;
      line = JSON.stringify({ input, error: (err as Error).message });
    }
    io.stdout.write(`${line}\n`);
  }
  return failed ? 1 : 0;
}
