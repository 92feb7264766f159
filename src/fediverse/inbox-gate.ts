/**
 * Checks on a POST to an inbox before Fedify sees it, cheapest first, so junk costs no fetch of a
 * remote key: a signature must be there (401), each sending address has a rate limit (429), a
 * signature is good once (a replayed one is 401), the body must be an activity of a known type
 * (400), from an account or server the owner did not block (403), and a reply to our site must
 * answer a post that exists (404). Fedify then verifies the signature itself (401 when it is bad,
 * or when the key's actor cannot be fetched). Every refusal is logged at debug; nothing stored
 * changes.
 *
 * The limit counts the connecting address, not the server named in the signature's key: that
 * name is not verified yet, and counting it would let anyone use up a real server's allowance. A
 * signature is remembered as used only once Fedify accepted the request, so a sender whose first
 * try failed (its key could not be fetched) may send the same request again.
 */
import { createHash } from "node:crypto";
import { Temporal } from "@js-temporal/polyfill";
import type { Context } from "hono";
import type { AppContext } from "../lib/context.ts";
import { clientIp } from "../lib/http/client-ip.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { rateLimit } from "../lib/limits/limiter.ts";
import { targetOf } from "./inbox-items.ts";
import { dbKvStore } from "./kv.ts";
import { noteAt } from "./note-object.ts";
import { fediBlockStore } from "./relations-store.ts";

/** Activity types we take (handled, or known and quietly ignored). Anything else is refused. */
const KNOWN = new Set([
  "Accept",
  "Add",
  "Announce",
  "Arrive",
  "Block",
  "Create",
  "Delete",
  "Dislike",
  "EmojiReact",
  "Flag",
  "Follow",
  "Ignore",
  "Invite",
  "Join",
  "Leave",
  "Like",
  "Listen",
  "Move",
  "Offer",
  "Question",
  "Read",
  "Reject",
  "Remove",
  "TentativeAccept",
  "TentativeReject",
  "Travel",
  "Undo",
  "Update",
  "View",
]);

/** How long a signature stays "seen": Fedify's window for a signature's date is an hour. */
const SEEN_MS = 2 * 3600_000;

/** The key id a request is signed with (draft-cavage `Signature` or RFC 9421 `Signature-Input`). */
export function keyIdOf(headers: Headers): string | undefined {
  const sig = headers.get("signature-input") ?? headers.get("signature") ?? "";
  return /keyId="([^"]+)"/i.exec(sig)?.[1];
}

const typeName = (t: unknown) => (typeof t === "string" ? t.replace(/^.*[#/:]/, "") : undefined);

/** The gate's answer: refused (the response to send), or on to Fedify (then `accepted` if it took it). */
export interface GateVerdict {
  refused?: Response;
  accepted?: () => Promise<void>;
}

/** The gate of an app's inboxes. */
export function inboxGate(app: AppContext) {
  const perServer = rateLimit(app, { name: "fedi-inbox", limit: app.config.fediPerServerPerMinute, windowMs: 60_000 });
  const refuse = (status: number, why: string, detail: Record<string, unknown> = {}): GateVerdict => {
    app.log.debug(`fediverse inbox: refused (${status}): ${why}`, detail);
    return { refused: new Response(`${why}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } }) };
  };
  return async (c: Context<AppEnv>): Promise<GateVerdict> => {
    const headers = c.req.raw.headers;
    const keyId = keyIdOf(headers);
    if (!keyId || !URL.canParse(keyId)) return refuse(401, "The request is not signed (HTTP Signatures).");
    const server = new URL(keyId).hostname.toLowerCase();
    const hit = await perServer.hit(clientIp(c));
    if (hit.limited) {
      const r = refuse(429, "Too many activities from this address; try again later.");
      r.refused?.headers.set("retry-after", String(Math.ceil(hit.retryAfterMs / 1000)));
      return r;
    }
    const signature = `${headers.get("signature-input") ?? ""}\n${headers.get("signature") ?? ""}`;
    const seenKey = ["liner", "sig", createHash("sha256").update(signature).digest("base64url")] as const;
    const kv = dbKvStore(app);
    if ((await kv.get(seenKey)) !== undefined) return refuse(401, "This signature was already used (a replay).");
    const accepted = () => kv.set(seenKey, 1, { ttl: Temporal.Duration.from({ milliseconds: SEEN_MS }) as never });

    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(await c.req.raw.clone().text());
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      body = parsed as Record<string, unknown>;
    } catch {
      return refuse(400, "The body is not a JSON-LD activity.", { server });
    }
    const type = typeName(body.type);
    if (!type || (typeof body.actor !== "string" && typeof (body.actor as { id?: unknown })?.id !== "string"))
      return refuse(400, "The activity has no type or no actor.", { server });
    if (!KNOWN.has(type)) return refuse(400, `Unknown activity type: ${type}.`, { server });
    const actor = typeof body.actor === "string" ? body.actor : String((body.actor as { id: string }).id);
    if (!URL.canParse(actor)) return refuse(400, "The activity's actor is not a URL.", { server });
    const blocks = fediBlockStore(app.db);
    if ((await blocks.blocks(actor, new URL(actor).hostname.toLowerCase())) || (await blocks.blocks(keyId, server)))
      return refuse(403, "Activities from this account or server are not accepted here.", { server });
    const object = body.object as Record<string, unknown> | undefined;
    const inReplyTo = object && typeof object === "object" ? object.inReplyTo : undefined;
    if (type === "Create" && typeof inReplyTo === "string" && inReplyTo.startsWith(`${app.config.baseUrl}/`)) {
      if (!(await targetOf(app, inReplyTo)) && !(await noteAt(app, new URL(inReplyTo).pathname)))
        return refuse(404, `There is no post at ${inReplyTo} to reply to.`, { server });
    }
    return { accepted };
  };
}
