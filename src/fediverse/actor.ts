/**
 * The site's one actor (`@handle@host`): a Person made from the site's settings and About page
 * (name, bio, photo, the About page's cover as header), with the site link and the owner's
 * profile links as fields, both key pairs, its collections, its aliases and its move, if any.
 */
import type { Federation } from "@fedify/fedify";
import { Endpoints, Image, Person, PropertyValue } from "@fedify/vocab";
import { coverImageOf, getSiteSettings, postBySlug } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { h } from "../lib/html.ts";
import { keyPairs } from "./keys.ts";
import { accountStore } from "./store.ts";

/** The one actor's identifier in URLs (its handle can change; its URI must not). */
export const ACTOR = "owner";

/** A profile field's value: a link, which Mastodon shows verified when the page links back with rel="me". */
const linkValue = (url: string) =>
  String(h`<a href="${url}" rel="me nofollow noopener" target="_blank">${url.replace(/^https?:\/\//, "")}</a>`);

/** The bio (plain text) as the HTML a profile's summary is: escaped, paragraphs and line breaks kept. Pure. */
export function bioHtml(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .filter((p) => p.trim())
    .map((p) =>
      String(
        h`<p>${p
          .trim()
          .split("\n")
          .map((line, i) => (i ? h`<br>${line}` : line))}</p>`,
      ),
    )
    .join("");
}

/** Register the actor, its keys and its handle on the federation. */
export function setupActor(federation: Federation<AppContext>): void {
  federation
    .setActorDispatcher("/ap/actor/{identifier}", async (ctx, identifier) => {
      if (identifier !== ACTOR) return null;
      const app = ctx.data;
      const [site, keys, account, about] = await Promise.all([
        getSiteSettings(app),
        ctx.getActorKeyPairs(identifier),
        accountStore(app.db).settings(),
        postBySlug(app, "about"),
      ]);
      const home = `${app.config.baseUrl}/`;
      const abs = (u: string) => new URL(u, home);
      const header =
        about?.status === "published" && about.kind === "page" ? await coverImageOf(app, about) : undefined;
      const fields = [
        new PropertyValue({ name: "Website", value: linkValue(home) }),
        ...site.author.links
          .slice(0, 3)
          .map((l) => new PropertyValue({ name: l.label || new URL(l.url).hostname, value: linkValue(l.url) })),
      ];
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: account.handle,
        name: site.author.name || site.title,
        summary: bioHtml(site.author.bio || site.description) || null,
        url: new URL(home),
        icon: site.author.photoUrl ? new Image({ url: abs(site.author.photoUrl) }) : null,
        image: header ? new Image({ url: abs(header.src), name: header.alt || null }) : null,
        inbox: ctx.getInboxUri(identifier),
        outbox: ctx.getOutboxUri(identifier),
        followers: ctx.getFollowersUri(identifier),
        following: ctx.getFollowingUri(identifier),
        featured: ctx.getFeaturedUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        manuallyApprovesFollowers: account.approveFollowers,
        discoverable: true,
        attachments: fields,
        aliases: account.alsoKnownAs.filter((u) => URL.canParse(u)).map((u) => new URL(u)),
        successor: account.movedTo && URL.canParse(account.movedTo) ? new URL(account.movedTo) : null,
        publicKey: keys[0]?.cryptographicKey,
        assertionMethods: keys.map((k) => k.multikey),
      });
    })
    .setKeyPairsDispatcher(async (ctx, identifier) => (identifier === ACTOR ? keyPairs(ctx.data) : []))
    .mapHandle(async (ctx, username) => {
      const { handle } = await accountStore(ctx.data.db).settings();
      return username.toLowerCase() === handle.toLowerCase() ? ACTOR : null;
    });
}
