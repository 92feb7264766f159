/**
 * A remote actor (Person, Service, Application, Group, Organization) as a `RemoteActor`: who wrote
 * a reply, who follows us. Its icon is read through Fedify's `getIcon`, which fetches only an icon
 * that is linked rather than embedded; so this is async, unlike the rest of an actor.
 */
import type { Actor, DocumentLoader } from "@fedify/vocab";
import { httpUrl } from "./remote-html.ts";

/** A remote actor as we keep it. */
export interface RemoteActor {
  uri: string;
  /** `@user@host`: the preferred username and the host of the actor's id. */
  handle: string;
  /** The display name, or the username when it has none. */
  name: string;
  iconUrl: string | null;
  /** The profile page, or the actor's id when it names none. */
  url: string;
  inbox: string | null;
  sharedInbox: string | null;
}

/** An actor as a RemoteActor. Throws when it has no id. Only http(s) URLs are kept. */
export async function readRemoteActor(
  actor: Actor,
  opts: { documentLoader?: DocumentLoader; contextLoader?: DocumentLoader } = {},
): Promise<RemoteActor> {
  const uri = actor.id ? httpUrl(actor.id) : null;
  if (!uri) throw new Error("a remote actor without an http(s) id");
  const id = new URL(uri);
  // Without a preferred username (rare: every server we know sends one) the id's last segment stands in.
  const username =
    String(actor.preferredUsername ?? "").trim() ||
    decodeURIComponent(id.pathname.split("/").filter(Boolean).pop() ?? "");
  const icon = await actor.getIcon({
    ...opts,
    contextLoader: opts.contextLoader ?? opts.documentLoader,
    suppressError: true,
  });
  return {
    uri,
    handle: `@${username}@${id.host}`,
    name: String(actor.name ?? "").trim() || username,
    // An icon given as a bare URL (no Image around it) is not a document Fedify can load: the URL is the icon.
    iconUrl: httpUrl(icon?.url) ?? httpUrl(actor.iconId),
    url: httpUrl(actor.url) ?? uri,
    inbox: httpUrl(actor.inboxId),
    sharedInbox: httpUrl(actor.endpoints?.sharedInbox),
  };
}

/**
 * An account's inboxes, kept only on the actor's own host. Deliveries are Fedify's POSTs, which
 * do not go through our fetcher; the actor's document did, so its host passed the SSRF guard. An
 * inbox elsewhere (an internal address, say) would send our POSTs where the guard never looked.
 */
export function ownHostInboxes(r: { uri: string; inbox: string | null; sharedInbox: string | null }) {
  const host = new URL(r.uri).host;
  const on = (u: string | null) => (u && URL.canParse(u) && new URL(u).host === host ? u : null);
  return { inbox: on(r.inbox), sharedInbox: on(r.sharedInbox) };
}
