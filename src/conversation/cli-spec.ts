/** The conversation module's `liner` commands: their help texts, and their code loaded when they run. */
import type { CliCommandSpec } from "../lib/module.ts";

export const conversationCommands: CliCommandSpec[] = [
  {
    name: "conversations list",
    overview:
      "  conversations list [--pending] [--json]\n                                  Comments, Webmentions and replies, newest first\n",
    usage: `Usage: liner conversations list [--pending] [--json] [--limit N]

Prints what people said about your posts, newest first: native comments, received Webmentions
(replies, likes, reposts, bookmarks, mentions), and later fediverse and Bluesky replies.
--pending shows only items held for moderation. --json prints one JSON object per line with
id, kind (comment, reply, like, repost, bookmark, mention), via (site, webmention, activitypub,
bluesky), author {name, url}, post (slug), text, status (pending, approved, spam) and received_at.
--limit caps the number of items (default 100).
`,
    load: async () => (await import("./cli.ts")).conversationsList,
  },
  ...(["approve", "spam", "delete"] as const).map(
    (verb): CliCommandSpec => ({
      name: `conversations ${verb}`,
      overview: `  conversations ${verb} ID...${" ".repeat(Math.max(1, 20 - verb.length))}${
        verb === "approve" ? "Publish held items" : verb === "spam" ? "Mark items as spam" : "Delete items for good"
      }\n`,
      usage: `Usage: liner conversations ${verb} ID...

${
  verb === "approve"
    ? "Approves the items (publishes them under their posts); their authors publish at once from then on."
    : verb === "spam"
      ? "Marks the items as spam: they are hidden, and kept so that the same author is recognised."
      : "Deletes the items (and the replies under them) for good."
} IDs are those of \`liner conversations list\`. An unknown ID is reported and the others are still done.
`,
      load: async () => (await import("./cli.ts")).conversationsModerate(verb),
    }),
  ),
  {
    name: "webmention send",
    overview: "  webmention send URL             Send Webmentions for one post now and print each target's result\n",
    usage: `Usage: liner webmention send URL

Discovers the Webmention endpoint of every page the post at URL (one of this site's published
posts, or its slug) links to, sends the Webmentions now, and prints one line per target: sent,
accepted, no endpoint, or failed with the reason.
`,
    load: async () => (await import("./webmention/cli-send.ts")).webmentionSend,
  },
];
