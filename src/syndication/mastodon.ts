/**
 * Mastodon's REST API (docs.joinmastodon.org), through our guarded fetcher: the account behind a
 * token, the instance's limits, a status with its media, each refusal as a PlatformError with
 * Mastodon's own message. A status is posted with an Idempotency-Key (the copy's), so Mastodon
 * itself answers a resend with the status it made the first time.
 */
import { type CodeGrant, codeGrantBody, goneIsDone, PlatformError } from "./platform-error.ts";

export interface MastodonLogin {
  instance: string;
  token: string;
}

/** What a status may hold on this instance (defaults: Mastodon's own). */
export interface InstanceLimits {
  maxCharacters: number;
  urlLength: number;
  imageBytes: number;
}

const DEFAULT_LIMITS: InstanceLimits = { maxCharacters: 500, urlLength: 23, imageBytes: 16 * 1024 * 1024 };

async function call<T>(
  fetchFn: typeof fetch,
  login: MastodonLogin,
  path: string,
  init: { method?: string; body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetchFn(new URL(path, login.instance), {
      method: init.method ?? "GET",
      body: init.body,
      headers: {
        ...(login.token ? { authorization: `Bearer ${login.token}` } : {}),
        accept: "application/json",
        ...init.headers,
      },
    });
  } catch (err) {
    throw new PlatformError("down", `${login.instance} could not be reached (${String(err).slice(0, 200)}).`, {
      cause: err,
    });
  }
  const text = await res.text();
  let body: { error?: string; error_description?: string } & Record<string, unknown> = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    // An HTML error page (a proxy in front of the instance): its status says enough.
  }
  if (res.ok) return body as T;
  const said = [body.error, body.error_description].filter(Boolean).join(": ") || `HTTP ${res.status}`;
  if (res.status === 401 || res.status === 403)
    throw new PlatformError("auth", `${login.instance} refused the token (${said}).`);
  if (res.status === 429) {
    const reset = res.headers.get("x-ratelimit-reset") ?? res.headers.get("retry-after");
    const at = reset
      ? /^\d+$/.test(reset)
        ? new Date(Date.now() + Number(reset) * 1000)
        : new Date(reset)
      : undefined;
    throw new PlatformError("rate", `${login.instance}'s rate limit (${said}).`, {
      retryAt: at && !Number.isNaN(at.getTime()) ? at : undefined,
    });
  }
  if (res.status === 413)
    throw new PlatformError("too-large", `${login.instance} refused the file as too large (${said}).`);
  if (res.status === 422 && /character limit/i.test(said))
    throw new PlatformError("too-long", `${login.instance} refused the text as too long (${said}).`);
  if (res.status >= 500) throw new PlatformError("down", `${login.instance} is failing (${said}).`);
  if (res.status === 404) throw new PlatformError("gone", `${login.instance} has no such thing (${said}).`);
  throw new PlatformError("refused", `${login.instance} refused it (${said}).`);
}

/** The account behind a token: "@user@instance-host". */
export async function mastodonAccount(
  fetchFn: typeof fetch,
  login: MastodonLogin,
): Promise<{ handle: string; url: string }> {
  const me = await call<{ acct?: string; username?: string; url?: string }>(
    fetchFn,
    login,
    "/api/v1/accounts/verify_credentials",
  );
  const name = me.acct || me.username;
  if (!name) throw new PlatformError("refused", `${login.instance} did not say whose token this is.`);
  return { handle: `@${name.split("@")[0]}@${new URL(login.instance).host}`, url: me.url ?? login.instance };
}

/** Instances' limits, kept a while: they change with a server's configuration, rarely. */
const limitsCache = new Map<string, { at: number; limits: Promise<InstanceLimits> }>();
const LIMITS_MS = 10 * 60_000;

/** The instance's limits (v2 instance configuration), else Mastodon's defaults; kept 10 minutes. */
export function instanceLimits(fetchFn: typeof fetch, login: MastodonLogin): Promise<InstanceLimits> {
  const kept = limitsCache.get(login.instance);
  if (kept && Date.now() - kept.at < LIMITS_MS) return kept.limits;
  const limits = readLimits(fetchFn, login);
  limitsCache.set(login.instance, { at: Date.now(), limits });
  limits.catch(() => limitsCache.delete(login.instance));
  if (limitsCache.size > 100) limitsCache.delete(limitsCache.keys().next().value as string);
  return limits;
}

async function readLimits(fetchFn: typeof fetch, login: MastodonLogin): Promise<InstanceLimits> {
  try {
    const i = await call<{ configuration?: Record<string, any> }>(fetchFn, login, "/api/v2/instance");
    const c = i.configuration ?? {};
    return {
      maxCharacters: Number(c.statuses?.max_characters) || DEFAULT_LIMITS.maxCharacters,
      urlLength: Number(c.statuses?.characters_reserved_per_url) || DEFAULT_LIMITS.urlLength,
      imageBytes: Number(c.media_attachments?.image_size_limit) || DEFAULT_LIMITS.imageBytes,
    };
  } catch (err) {
    if (err instanceof PlatformError && err.kind !== "refused" && err.kind !== "gone") throw err;
    return DEFAULT_LIMITS;
  }
}

export interface MastodonStatus {
  text: string;
  contentWarning?: string;
  image?: { bytes: Uint8Array; mime: string; alt: string };
  /** The copy's idempotency key. */
  key: string;
}

/** Post a status (its image uploaded first); returns its id and URL. */
export async function postToMastodon(
  fetchFn: typeof fetch,
  login: MastodonLogin,
  status: MastodonStatus,
  limits: InstanceLimits,
): Promise<{ id: string; url: string }> {
  const mediaIds: string[] = [];
  if (status.image) {
    if (status.image.bytes.length > limits.imageBytes)
      throw new PlatformError(
        "too-large",
        `The image is ${status.image.bytes.length} bytes; ${login.instance} takes at most ${limits.imageBytes}.`,
      );
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(status.image.bytes)], { type: status.image.mime }), "cover");
    form.append("description", status.image.alt);
    const media = await call<{ id: string }>(fetchFn, login, "/api/v2/media", { method: "POST", body: form });
    mediaIds.push(media.id);
  }
  const body = JSON.stringify({
    status: status.text,
    spoiler_text: status.contentWarning ?? "",
    media_ids: mediaIds,
    visibility: "public",
  });
  const made = await call<{ id: string; url?: string; uri?: string }>(fetchFn, login, "/api/v1/statuses", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "idempotency-key": status.key },
  });
  return { id: made.id, url: made.url ?? made.uri ?? `${login.instance}/statuses/${made.id}` };
}

/** A notification as Mastodon sends it (the fields backfeed reads). */
export interface MastodonNotification {
  id: string;
  type: string;
  created_at: string;
  account: { uri?: string; url: string; acct: string; display_name?: string; avatar?: string };
  status?: {
    id: string;
    uri: string;
    url?: string;
    in_reply_to_id?: string | null;
    content: string;
    created_at: string;
  };
}

/** Mentions, favourites and boosts newer than `sinceId`, oldest first; one request. */
export async function mastodonNotifications(
  fetchFn: typeof fetch,
  login: MastodonLogin,
  sinceId: string | null,
): Promise<MastodonNotification[]> {
  const q = new URLSearchParams({ limit: "40" });
  for (const t of ["mention", "favourite", "reblog"]) q.append("types[]", t);
  if (sinceId) q.set("since_id", sinceId);
  const list = await call<MastodonNotification[]>(fetchFn, login, `/api/v1/notifications?${q}`);
  return [...list].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

/** Edit a status's text and content warning, keeping its media (Mastodon 3.5+). */
export async function editMastodonStatus(
  fetchFn: typeof fetch,
  login: MastodonLogin,
  id: string,
  edit: { text: string; contentWarning?: string },
): Promise<void> {
  const path = `/api/v1/statuses/${encodeURIComponent(id)}`;
  const now = await call<{ media_attachments?: { id: string }[] }>(fetchFn, login, path);
  await call(fetchFn, login, path, {
    method: "PUT",
    body: JSON.stringify({
      status: edit.text,
      spoiler_text: edit.contentWarning ?? "",
      media_ids: (now.media_attachments ?? []).map((m) => m.id),
    }),
    headers: { "content-type": "application/json" },
  });
}

/** Delete a status; one already gone (404) is no error. */
export async function deleteMastodonStatus(fetchFn: typeof fetch, login: MastodonLogin, id: string): Promise<void> {
  await goneIsDone(call(fetchFn, login, `/api/v1/statuses/${encodeURIComponent(id)}`, { method: "DELETE" }));
}

/** The scopes Liner Notes asks a Mastodon instance for: read notifications, post and edit statuses. */
export const MASTODON_SCOPES = "read write";

/** Register Liner Notes as an OAuth app on an instance (POST /api/v1/apps); its client id and secret. */
export async function registerMastodonApp(
  fetchFn: typeof fetch,
  instance: string,
  app: { name: string; redirectUri: string; website: string },
): Promise<{ clientId: string; clientSecret: string }> {
  const made = await call<{ client_id?: string; client_secret?: string }>(
    fetchFn,
    { instance, token: "" },
    "/api/v1/apps",
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_name: app.name,
        redirect_uris: app.redirectUri,
        scopes: MASTODON_SCOPES,
        website: app.website,
      }),
    },
  );
  if (!made.client_id || !made.client_secret)
    throw new PlatformError("refused", `${instance} did not register the app (no client id or secret).`);
  return { clientId: made.client_id, clientSecret: made.client_secret };
}

/** Trade the code the owner's approval brought back for an access token (POST /oauth/token). */
export async function mastodonToken(fetchFn: typeof fetch, instance: string, grant: CodeGrant): Promise<string> {
  const made = await call<{ access_token?: string }>(fetchFn, { instance, token: "" }, "/oauth/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: codeGrantBody(grant, { scope: MASTODON_SCOPES }),
  });
  if (!made.access_token) throw new PlatformError("refused", `${instance} answered without an access token.`);
  return made.access_token;
}

/** The replies under a status, nested ones too (GET /api/v1/statuses/:id/context's descendants). */
export async function mastodonReplies(
  fetchFn: typeof fetch,
  login: MastodonLogin,
  id: string,
): Promise<(NonNullable<MastodonNotification["status"]> & { account: MastodonNotification["account"] })[]> {
  try {
    const ctx = await call<{ descendants?: unknown[] }>(
      fetchFn,
      login,
      `/api/v1/statuses/${encodeURIComponent(id)}/context`,
    );
    return (ctx.descendants ?? []) as never;
  } catch (err) {
    if (err instanceof PlatformError && err.kind === "gone") return []; // deleted there
    throw err;
  }
}
