/**
 * Tests only: a Mastodon server on loopback, written from Mastodon's API documentation
 * (docs.joinmastodon.org: accounts/verify_credentials, instance v2, statuses with Idempotency-Key,
 * media v2, a status's GET, PUT (edit), DELETE and context, OAuth apps/authorize/token, and their error
 * shapes `{ "error": "…" }`), because no Mastodon can run here. It keeps
 * what it was sent, and can be told to fail the next calls as Mastodon does: a revoked token (401),
 * a rate limit (429 with X-RateLimit-Reset), a text over the limit (422), a file too large (413),
 * or the server down (503).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeStatus {
  id: string;
  text: string;
  spoiler: string;
  mediaIds: string[];
  key: string | null;
  /** Edits made to it (PUT), and whether it was deleted. */
  edits: number;
  deleted?: boolean;
}
export type Failure = "revoked" | "rate" | "too-long" | "too-large" | "down";

/** A notification as the fake serves it (Mastodon's Notification entity, the fields we read). */
export interface FakeNotification {
  id: string;
  type: "mention" | "favourite" | "reblog" | "follow";
  created_at: string;
  account: { uri: string; url: string; acct: string; display_name: string; avatar: string };
  status?: { id: string; uri: string; url: string; in_reply_to_id: string | null; content: string; created_at: string };
}

export interface FakeMastodon {
  url: string;
  token: string;
  /** Requests answered, by path (what a backfeed pass costs). */
  requests: Map<string, number>;
  notifications: FakeNotification[];
  /** Someone on another server does something to one of the account's statuses. */
  /** With `quiet`, a reply in the thread that sends the owner no notification (it did not mention them). */
  notify(
    type: FakeNotification["type"],
    opts: { statusId: string; content?: string; who?: string; quiet?: boolean },
  ): FakeNotification;
  statuses: FakeStatus[];
  media: { id: string; bytes: number; description: string }[];
  /** OAuth apps registered (POST /api/v1/apps). */
  apps: { clientId: string; clientSecret: string; redirect: string }[];
  /** Set `deny` to have the owner refuse at the approval page. */
  oauth: { deny: boolean };
  /** Fail the next `times` calls (default 1) of a path prefix the given way. */
  failNext(failure: Failure, path?: string, times?: number): void;
  close(): Promise<void>;
}

const readBody = (req: http.IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const parts: Buffer[] = [];
    req.on("data", (d: Buffer) => parts.push(d));
    req.on("end", () => resolve(Buffer.concat(parts)));
  });

/** Start one, with its limits (`max_characters`, `image_size_limit`). */
export async function startFakeMastodon(
  opts: { maxCharacters?: number; imageBytes?: number } = {},
): Promise<FakeMastodon> {
  const token = "fake-token-0123456789";
  const statuses: FakeStatus[] = [];
  const media: FakeMastodon["media"] = [];
  const failures: { failure: Failure; path: string; times: number }[] = [];
  const apps: { clientId: string; clientSecret: string; redirect: string }[] = [];
  /** Every reply in the threads (for /context), with its author. */
  const replies: (NonNullable<FakeNotification["status"]> & { account: FakeNotification["account"] })[] = [];
  const oauth = { deny: false };
  const requests = new Map<string, number>();
  const notifications: FakeNotification[] = [];
  let revoked = false;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    const body = await readBody(req);
    requests.set(url.pathname, (requests.get(url.pathname) ?? 0) + 1);
    const f = failures.find((x) => url.pathname.startsWith(x.path) && x.times > 0);
    if (f) {
      f.times--;
      if (f.failure === "revoked") revoked = true;
      if (f.failure === "rate")
        return send(
          429,
          { error: "Too many requests" },
          { "x-ratelimit-reset": new Date(Date.now() + 300_000).toISOString() },
        );
      if (f.failure === "too-long")
        return send(422, { error: "Validation failed: Text character limit of 500 exceeded" });
      if (f.failure === "too-large") return send(413, { error: "File is too large" });
      if (f.failure === "down") return send(503, { error: "Service Unavailable" });
    }
    // OAuth (docs.joinmastodon.org/methods/apps, /methods/oauth): the app, the owner's approval
    // (granted at once, or refused when told), and the code traded for the token.
    if (url.pathname === "/api/v1/apps" && req.method === "POST") {
      const p = JSON.parse(body.toString("utf8") || "{}");
      if (!p.client_name || !p.redirect_uris) return send(422, { error: "Validation failed: Name can't be blank" });
      const app = {
        clientId: `client-${apps.length + 1}`,
        clientSecret: `secret-${apps.length + 1}`,
        redirect: p.redirect_uris,
      };
      apps.push(app);
      return send(200, { client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: app.redirect });
    }
    if (url.pathname === "/oauth/authorize") {
      const app = apps.find((a) => a.clientId === url.searchParams.get("client_id"));
      const back = url.searchParams.get("redirect_uri") ?? "";
      if (!app || back !== app.redirect) return send(400, { error: "invalid_client" });
      const answer = new URLSearchParams({ state: url.searchParams.get("state") ?? "" });
      if (oauth.deny) {
        answer.set("error", "access_denied");
        answer.set("error_description", "The resource owner or authorization server denied the request.");
      } else answer.set("code", `code-for-${app.clientId}`);
      res.writeHead(302, { location: `${back}?${answer}` });
      return res.end();
    }
    if (url.pathname === "/oauth/token" && req.method === "POST") {
      const p = new URLSearchParams(body.toString("utf8"));
      const app = apps.find((a) => a.clientId === p.get("client_id") && a.clientSecret === p.get("client_secret"));
      if (!app || p.get("code") !== `code-for-${app.clientId}` || p.get("redirect_uri") !== app.redirect)
        return send(400, {
          error: "invalid_grant",
          error_description: "The provided authorization grant is invalid, expired, revoked, or does not match.",
        });
      revoked = false;
      return send(200, { access_token: token, token_type: "Bearer", scope: p.get("scope") ?? "read" });
    }
    if (url.pathname === "/api/v2/instance")
      return send(200, {
        domain: url.host,
        configuration: {
          statuses: { max_characters: opts.maxCharacters ?? 500, characters_reserved_per_url: 23 },
          media_attachments: { image_size_limit: opts.imageBytes ?? 16_777_216 },
        },
      });
    if (revoked || req.headers.authorization !== `Bearer ${token}`)
      return send(401, { error: "The access token is invalid" });
    if (url.pathname === "/api/v1/accounts/verify_credentials")
      return send(200, { id: "1", username: "alice", acct: "alice", url: `http://${req.headers.host}/@alice` });
    if (url.pathname === "/api/v1/notifications") {
      // Newest first, after since_id, of the types asked for (Mastodon's defaults: all).
      const since = BigInt(url.searchParams.get("since_id") ?? "0");
      const types = url.searchParams.getAll("types[]");
      const limit = Number(url.searchParams.get("limit") ?? 40);
      const list = notifications
        .filter((n) => BigInt(n.id) > since && (!types.length || types.includes(n.type)))
        .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
        .slice(0, limit);
      return send(200, list);
    }
    if (url.pathname === "/api/v2/media" && req.method === "POST") {
      const text = body.toString("latin1");
      const description = /name="description"\r\n\r\n([^\r]*)/.exec(text)?.[1] ?? "";
      const m = { id: String(media.length + 100), bytes: body.length, description };
      media.push(m);
      return send(200, { id: m.id, type: "image", description });
    }
    if (url.pathname === "/api/v1/statuses" && req.method === "POST") {
      const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
      const seen = key ? statuses.find((s) => s.key === key) : undefined;
      const host = `http://${req.headers.host}`;
      if (seen) return send(200, { id: seen.id, url: `${host}/@alice/${seen.id}` });
      const p = JSON.parse(body.toString("utf8") || "{}");
      const s = {
        id: String(statuses.length + 1000),
        text: p.status,
        spoiler: p.spoiler_text ?? "",
        mediaIds: p.media_ids ?? [],
        key,
        edits: 0,
      };
      statuses.push(s);
      return send(200, { id: s.id, url: `${host}/@alice/${s.id}`, uri: `${host}/users/alice/statuses/${s.id}` });
    }
    const context = /^\/api\/v1\/statuses\/(\d+)\/context$/.exec(url.pathname);
    if (context) {
      if (!statuses.some((x) => x.id === context[1] && !x.deleted)) return send(404, { error: "Record not found" });
      const under = (id: string): unknown[] =>
        replies.filter((r) => r.in_reply_to_id === id).flatMap((r) => [r, ...under(r.id)]);
      return send(200, { ancestors: [], descendants: under(context[1]) });
    }
    const one = /^\/api\/v1\/statuses\/(\d+)$/.exec(url.pathname);
    const status = one ? statuses.find((x) => x.id === one[1] && !x.deleted) : undefined;
    if (status) {
      const host = `http://${req.headers.host}`;
      const entity = () => ({
        id: status.id,
        url: `${host}/@alice/${status.id}`,
        content: `<p>${status.text}</p>`,
        spoiler_text: status.spoiler,
        media_attachments: status.mediaIds.map((id) => ({ id, type: "image" })),
      });
      if (req.method === "GET") return send(200, entity());
      if (req.method === "DELETE") {
        status.deleted = true;
        return send(200, { ...entity(), text: status.text });
      }
      if (req.method === "PUT") {
        const p = JSON.parse(body.toString("utf8") || "{}");
        if (typeof p.status !== "string") return send(422, { error: "Validation failed: Text can't be blank" });
        status.text = p.status;
        status.spoiler = p.spoiler_text ?? "";
        status.mediaIds = p.media_ids ?? [];
        status.edits++;
        return send(200, entity());
      }
    }
    return send(404, { error: "Record not found" });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    notifications,
    notify(type, o) {
      const who = o.who ?? "bob";
      const remote = `https://other.example/users/${who}`;
      const id = String(9000 + notifications.length);
      const account = {
        uri: remote,
        url: `https://other.example/@${who}`,
        acct: `${who}@other.example`,
        display_name: who === "bob" ? "Bob B" : who,
        avatar: `https://other.example/avatars/${who}.png`,
      };
      const status =
        type === "mention"
          ? {
              id: String(5000 + notifications.length),
              uri: `${remote}/statuses/${5000 + notifications.length}`,
              url: `https://other.example/@${who}/${5000 + notifications.length}`,
              in_reply_to_id: o.statusId,
              content: o.content ?? "<p>Nice</p>",
              created_at: new Date().toISOString(),
            }
          : {
              id: o.statusId,
              uri: `x`,
              url: `x`,
              in_reply_to_id: null,
              content: "",
              created_at: new Date().toISOString(),
            };
      const n: FakeNotification = { id, type, created_at: new Date().toISOString(), account, status };
      if (type === "mention") replies.push({ ...status, account });
      if (!o.quiet) notifications.push(n);
      return n;
    },
    statuses,
    media,
    apps,
    oauth,
    failNext(failure, path = "/api/", times = 1) {
      failures.push({ failure, path, times });
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
