/**
 * The sending side of the `webmention` benchmark: a loopback server of small h-entry pages (the
 * Webmention sources, each linking to the target post as a reply, a like or a plain mention), a
 * burst of POST /webmention requests over keep-alive connections, and generated comments.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { commentHtml } from "../../src/conversation/comments/text.ts";
import type { Db } from "../../src/lib/db/index.ts";
import { makeVocabulary, rng } from "./corpus.ts";
import { getOnce } from "./http.ts";

/** The kinds of source page served, in turn: source i is KINDS[i % 3]. */
export const KINDS = ["reply", "like", "mention"] as const;

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** One source page: an h-entry by an h-card author that links to `target` as `kind`. */
export function sourcePage(base: string, i: number, target: string): string {
  const kind = KINDS[i % KINDS.length];
  const url = `${base}/m/${i}`;
  const t = escapeHtml(target);
  const link =
    kind === "reply"
      ? `<p>In reply to <a class="u-in-reply-to" href="${t}">a post on Liner Notes</a></p>`
      : kind === "like"
        ? `<p><a class="u-like-of" href="${t}">Liked a post on Liner Notes</a></p>`
        : "";
  const body =
    kind === "mention"
      ? `I was reading <a href="${t}">this post about page caches</a> and it made me rethink our setup (note ${i}).`
      : kind === "reply"
        ? `Thanks for writing this up: we saw the same thing after moving to SQLite (note ${i}).`
        : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Note ${i}</title></head>
<body>
<article class="h-entry">
<a class="p-author h-card" href="${base}/people/${i % 97}">Writer ${i % 97}</a>
${link}
${body ? `<div class="e-content">${body}</div>` : ""}
<a class="u-url" href="${url}"><time class="dt-published" datetime="2026-01-02T10:${String(i % 60).padStart(2, "0")}:00Z">2 January 2026</time></a>
</article>
</body></html>
`;
}

/**
 * The source server on 127.0.0.1: `/<round>/<i>` is source page i, linking to the target that
 * round's Webmentions named; counts what it served.
 */
export async function startSourceServer(targetOf: (round: string) => string) {
  let served = 0;
  const server = http.createServer((req, res) => {
    const m = req.url?.match(/^\/([a-z]+)\/(\d+)$/);
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    served++;
    const body = sourcePage(`http://127.0.0.1:${port}`, Number(m[2]), targetOf(m[1]));
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    served: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface PostResult {
  status: number;
  location: string;
  body: string;
  /** From sending the request to the last byte of the answer. */
  ms: number;
}

/** POST a form over `agent`; rejects on connection errors. */
function postForm(agent: http.Agent, url: URL, form: Record<string, string>): Promise<PostResult> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        agent,
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            location: String(res.headers.location ?? ""),
            body: Buffer.concat(chunks).toString(),
            ms: performance.now() - started,
          }),
        );
        res.on("error", reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error("timeout: POST /webmention")));
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Send `forms` to `endpoint` from `clients` concurrent clients, each on its own keep-alive
 * connection, as fast as answers come back. Results in the order of `forms`.
 */
export async function burst(endpoint: string, forms: Record<string, string>[], clients: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const url = new URL(endpoint);
  const results = new Array<PostResult>(forms.length);
  let next = 0;
  const lane = async () => {
    while (next < forms.length) {
      const i = next++;
      try {
        results[i] = await postForm(agent, url, forms[i]);
      } catch (err) {
        results[i] = { status: 0, location: "", body: (err as Error).message, ms: Number.NaN };
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: clients }, lane));
  } finally {
    agent.destroy();
  }
  return results;
}

/** `n` approved site comments of 200-600 characters for a post, rendered with the real renderer. */
export function generatedComments(postId: number, n: number, publishedAfter: number) {
  const vocab = makeVocabulary();
  const rand = rng(1414);
  const word = () => vocab.words[vocab.draw(rand)];
  const names = ["Ada", "Bram", "Chiara", "Dmitri", "Elif", "Farah", "Gus", "Hana", "Ines", "Jonas", "Kemi", "Luis"];
  return Array.from({ length: n }, (_, i) => {
    const want = 200 + Math.floor(rand() * 401);
    const sentences: string[] = [];
    let len = 0;
    while (len < want) {
      const words = Array.from({ length: 6 + Math.floor(rand() * 10) }, word);
      if (rand() < 0.15) words[2] = `*${words[2]}*`;
      let s = `${words.join(" ")}.`;
      s = s.charAt(0).toUpperCase() + s.slice(1);
      sentences.push(s);
      len += s.length + 1;
    }
    // Some comments have two paragraphs, some a link.
    if (sentences.length > 3 && rand() < 0.4) sentences.splice(2, 0, "\n\n");
    if (rand() < 0.2) sentences.push(`More at https://example.org/notes/${i}`);
    const text = sentences
      .join(" ")
      .replace(/ \n\n /g, "\n\n")
      .slice(0, 600);
    const name = `${names[i % names.length]} ${word().charAt(0).toUpperCase()}${word().slice(1)}`;
    const email = `reader${i}@example.net`;
    const at = new Date(publishedAfter + (i + 1) * 60_000).toISOString();
    return {
      post_id: postId,
      parent_id: null,
      kind: "comment" as const,
      via: "site" as const,
      status: "approved" as const,
      author_name: name,
      author_url: i % 3 === 0 ? `https://example.org/~reader${i}` : "",
      author_email: email,
      author_key: `email:${email}`,
      text,
      html: commentHtml(text),
      remote_id: null,
      confirmed_at: at,
      published_at: at,
      received_at: at,
      updated_at: at,
    };
  });
}

/** One round of Webmentions: what the senders saw, and what the database says after. */
export interface RoundResult {
  count: number;
  clients: number;
  /** Receive latency of each answered request (ms). */
  times: number[];
  statuses: Map<number, number>;
  /** The first answer other than 201, if any. */
  firstBad?: string;
  /** From the first POST to the last answer. */
  sendMs: number;
  /** From the first POST until polling saw all verified (undefined: not within the wait). */
  allVerifiedMs?: number;
  /** From the first POST to the first and the last verification (the rows' checked_at). */
  firstCheckMs: number;
  lastCheckMs: number;
  /** webmentions_in rows of this round by status. */
  counts: Record<string, number>;
  /** conversation_items of this round (via webmention) by kind. */
  kinds: Record<string, number>;
  items: number;
  /** What a sample of status URLs answered. */
  statusUrls: string;
}

async function countsOf(db: Db, prefix: string): Promise<Record<string, number>> {
  const r = await db.kysely
    .selectFrom("webmentions_in")
    .select(["status", (eb) => eb.fn.countAll<string | number>().as("n")])
    .where("source", "like", `${prefix}%`)
    .groupBy("status")
    .execute();
  return Object.fromEntries(r.map((x) => [x.status, Number(x.n)]));
}

/** What one round's senders saw. */
export interface Sent {
  count: number;
  clients: number;
  prefix: string;
  results: PostResult[];
  /** performance.now() and Date.now() at the first POST. */
  t0: number;
  wall0: number;
  sendMs: number;
}

/** Send `count` Webmentions (sources `${prefix}<i>`, all to `target`) from `clients` clients. */
export async function sendRound(opts: {
  endpoint: string;
  prefix: string;
  target: string;
  count: number;
  clients: number;
}): Promise<Sent> {
  const forms = Array.from({ length: opts.count }, (_, i) => ({ source: `${opts.prefix}${i}`, target: opts.target }));
  const t0 = performance.now();
  const wall0 = Date.now();
  const results = await burst(opts.endpoint, forms, opts.clients);
  return { ...opts, results, t0, wall0, sendMs: performance.now() - t0 };
}

/**
 * Poll `db` every 50 ms until a round's accepted Webmentions are all verified, all settled
 * otherwise, or `waitS` pass (from `since`, a performance.now() / Date.now() pair: the first POST
 * unless given), then read what was stored.
 */
export async function settleRound(
  db: Db,
  sent: Sent,
  waitS: number,
  since: { t0: number; wall0: number } = sent,
): Promise<RoundResult> {
  const { prefix, results } = sent;
  const statuses = new Map<number, number>();
  for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  const bad = results.find((r) => r.status !== 201);
  const accepted = statuses.get(201) ?? 0;
  let allVerifiedMs: number | undefined;
  let counts: Record<string, number> = {};
  for (;;) {
    counts = await countsOf(db, prefix);
    const verified = counts.verified ?? 0;
    if (verified >= accepted) {
      allVerifiedMs = performance.now() - since.t0;
      break;
    }
    // Everything settled, some not verified: waiting longer changes nothing.
    if (verified + (counts.rejected ?? 0) + (counts.removed ?? 0) >= accepted) break;
    if (performance.now() - since.t0 > waitS * 1000) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const checks = await db.kysely
    .selectFrom("webmentions_in")
    .select([(eb) => eb.fn.min("checked_at").as("first"), (eb) => eb.fn.max("checked_at").as("last")])
    .where("source", "like", `${prefix}%`)
    .where("status", "=", "verified")
    .executeTakeFirst();
  const kindRows = await db.kysely
    .selectFrom("conversation_items")
    .select(["kind", (eb) => eb.fn.countAll<string | number>().as("n")])
    .where("via", "=", "webmention")
    .where("remote_id", "like", `${prefix}%`)
    .groupBy("kind")
    .execute();
  const kinds = Object.fromEntries(kindRows.map((k) => [k.kind, Number(k.n)]));
  // The status URLs say the same (a sample: the first, the middle and the last one).
  const said: string[] = [];
  for (const i of [0, Math.floor(results.length / 2), results.length - 1]) {
    const loc = results[i]?.location;
    if (!loc) continue;
    const r = await getOnce(loc).catch(() => undefined);
    if (!r) continue; // that server is gone (the jobs-off round's)
    said.push(
      r.status === 200 ? String((JSON.parse(r.body.toString()) as { status: string }).status) : `HTTP ${r.status}`,
    );
  }
  const rel = (iso: unknown) => (typeof iso === "string" ? Date.parse(iso) - since.wall0 : Number.NaN);
  return {
    count: sent.count,
    clients: sent.clients,
    times: results.map((r) => r.ms).filter((ms) => Number.isFinite(ms)),
    statuses,
    firstBad: bad ? `${bad.status} ${bad.body.slice(0, 200).trim()}` : undefined,
    sendMs: sent.sendMs,
    allVerifiedMs,
    firstCheckMs: rel(checks?.first),
    lastCheckMs: rel(checks?.last),
    counts,
    kinds,
    items: Object.values(kinds).reduce((a, b) => a + b, 0),
    statusUrls: said.join(", "),
  };
}
