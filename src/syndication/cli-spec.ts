/** The syndication module's `liner` commands: their help texts, and their code loaded when they run. */
import type { CliCommandSpec } from "../lib/module.ts";

const load =
  (name: "accountsAdd" | "accountsList" | "accountsCheck" | "accountsRemove" | "syndicateCommand") => async () =>
    (await import("./cli.ts"))[name];

export const syndicationCommands: CliCommandSpec[] = [
  {
    name: "accounts add",
    overview:
      "  accounts add bluesky --handle H [--pds URL] --app-password-stdin\n  accounts add mastodon --instance URL --token-stdin\n  accounts add linkedin --token-stdin\n                                  Connect an account to send copies of posts to\n",
    usage: `Usage: liner accounts add bluesky --handle H [--pds URL] --app-password-stdin
       liner accounts add mastodon --instance URL --token-stdin
       liner accounts add linkedin --token-stdin

Connects an account elsewhere, after signing in with the credential read from stdin (so it never
shows in the process list or the shell's history). The credential is stored sealed with the
site's secret and shown masked. Bluesky: an app password (Settings → Privacy and security →
App passwords); --pds for an account on another atproto server than bsky.social. Mastodon: an
access token of an application made in Preferences → Development (scopes read and write).
LinkedIn: a member access token with the openid and w_member_social scopes.
Example:
  printf '%s' "$APP_PASSWORD" | liner accounts add bluesky --handle alice.bsky.social --app-password-stdin
`,
    load: load("accountsAdd"),
  },
  {
    name: "accounts list",
    overview: "  accounts list [--json]          The connected accounts, their credentials masked\n",
    usage: `Usage: liner accounts list [--json]

Lists the connected accounts: id, platform, handle, service, status (ok, error) and the last
error, with each credential masked.
`,
    load: load("accountsList"),
  },
  {
    name: "accounts check",
    overview: "  accounts check [ID]              Sign in to each connected account (or one) and say how it went\n",
    usage: `Usage: liner accounts check [ID]

Signs in to every connected account (or account ID) with its stored credential and prints
"ok" or the platform's message (an expired or revoked credential, a rate limit, the service
down). Exit 1 when any failed.
`,
    load: load("accountsCheck"),
  },
  {
    name: "accounts remove",
    overview: "  accounts remove ID              Disconnect an account and forget its credential\n",
    usage: `Usage: liner accounts remove ID

Disconnects account ID and deletes its stored credential. Copies already sent stay where they are.
`,
    load: load("accountsRemove"),
  },
  {
    name: "syndicate",
    overview:
      "  syndicate SLUG --to bluesky[,mastodon,linkedin] [--dry-run]\n                                  Send a copy of a published post to your accounts\n",
    usage: `Usage: liner syndicate SLUG --to bluesky,mastodon,linkedin [--dry-run]

Sends a copy of the published post SLUG to the connected account of each platform named, shaped
to it (Bluesky: 300 graphemes with the link, facets and a link card with the cover as its
thumbnail), and prints each copy's URL. A copy is sent once: asking again prints the URL it got.
--dry-run prints each target's text instead and sends nothing. Exit 1 when any failed.
`,
    load: load("syndicateCommand"),
  },
];
