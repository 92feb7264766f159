/**
 * `liner webmention send URL`: send one post's Webmentions now, in this process, and print each
 * target's result. A failure worth retrying (a timeout, a 5xx) is also queued for the background
 * jobs, as a send from the editor would be.
 */
import { postBySlug } from "../../content/index.ts";
import { CliError, lineWriter, parseCommand, withContext } from "../../lib/cli.ts";
import type { AppContext } from "../../lib/context.ts";
import type { CliCommand } from "../../lib/module.ts";
import { publicBaseUrl } from "../../lib/settings/base-url.ts";
import { planSends, sendWebmention } from "./send.ts";
import { queueSend } from "./send-kinds.ts";

const LABEL: Record<string, string> = {
  sent: "sent",
  accepted: "accepted",
  "no-endpoint": "no endpoint",
  failed: "failed",
};

/** The slug a post URL of this site (or a bare slug) names, or undefined. */
async function slugOf(ctx: AppContext, arg: string): Promise<string | undefined> {
  if (/^[a-z0-9-]+$/.test(arg)) return arg;
  let url: URL;
  try {
    url = new URL(arg);
  } catch {
    return undefined;
  }
  const ours = [ctx.config.baseUrl, (await publicBaseUrl(ctx)).url].map((b) => new URL(b).origin);
  if (!ours.includes(url.origin)) return undefined;
  const m = /^\/(?:posts\/)?([a-z0-9-]+)\/?$/.exec(url.pathname);
  return m?.[1];
}

export const webmentionSend: CliCommand = async (args, io) => {
  const say = lineWriter(io.stdout);
  const { positionals } = parseCommand("webmention send", args, {}, ["URL"]);
  const arg = positionals[0];
  return withContext(io, async (ctx) => {
    const slug = await slugOf(ctx, arg);
    const post = slug ? await postBySlug(ctx, slug) : undefined;
    const now = ctx.now().toISOString();
    if (post?.status !== "published" || post.published_at === null || post.published_at > now)
      throw new CliError(`${arg} is not a published post of this site (give its URL or its slug)`);
    const sends = await planSends(ctx, post.id);
    if (sends.length === 0) say(`“${post.title}” links to no other site: nothing to send.`);
    let failed = 0;
    for (const s of sends) {
      const r = await sendWebmention(ctx, s, { retryLeft: true });
      if (r.status === "failed") failed++;
      if (r.retry) await queueSend(ctx, s, new Date(ctx.now().getTime() + 60_000));
      const via = r.endpoint ? ` via ${r.endpoint}` : "";
      say(`${LABEL[r.status] ?? r.status}\t${s.target}${via}${r.detail ? `: ${r.detail}` : ""}`);
    }
    // Every target is tried and printed; a failure among them is the command's failure (exit 1),
    // as for every command, so a script notices it.
    if (failed) io.stderr.write(`liner: ${failed} of ${sends.length} Webmentions failed (see above)\n`);
    return failed ? 1 : 0;
  });
};
