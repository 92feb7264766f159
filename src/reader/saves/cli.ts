/**
 * `liner save URL [--blurb TEXT] [--theme SLUG]... [--via URL]... [--publish]`: save a link from
 * the terminal, fetching the page like the save page does. Prints the save's id and credit line.
 */

import { allThemes, postById, systemActor } from "../../content/index.ts";
import { CliError, parseCommand, withContext } from "../../lib/cli.ts";
import { ValidationError } from "../../lib/errors.ts";
import type { CliIo } from "../../lib/module.ts";
import { creditLine } from "./credits.ts";
import { fetchProblemNotices } from "./fetch.ts";
import { createSave, creditForUrl } from "./service.ts";

/** Flag names for the service's field names, so errors point at what was typed. */
function flagOf(field: string | undefined): string {
  if (!field) return "";
  if (field === "url") return "URL";
  if (field.startsWith("credits.")) return `--via ${Number(field.split(".")[1]) + 1}`;
  if (field === "themeIds") return "--theme";
  if (field === "blurb") return "--blurb";
  return field;
}

export async function save(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(
    "save",
    args,
    {
      blurb: { type: "string" },
      theme: { type: "string", multiple: true },
      via: { type: "string", multiple: true },
      publish: { type: "boolean" },
    },
    ["URL"],
  );
  const slugs = (values.theme as string[] | undefined) ?? [];
  const vias = (values.via as string[] | undefined) ?? [];
  return withContext(io, async (ctx) => {
    try {
      const themes = await allThemes(ctx);
      const themeIds = slugs.map((slug) => {
        const t = themes.find((x) => x.slug === slug);
        if (!t) {
          const known = themes.map((x) => x.slug).join(", ") || "none yet";
          throw new CliError(`--theme: no theme with the slug "${slug}" (themes: ${known})`);
        }
        return t.id;
      });
      const credits = await Promise.all(vias.map((v, i) => creditForUrl(ctx, v, i)));
      const r = await createSave(ctx, systemActor, {
        url: positionals[0],
        blurb: (values.blurb as string | undefined) ?? "",
        themeIds,
        credits,
        publish: values.publish === true,
      });
      const lines = [`Saved ${r.save.id}: ${r.save.title}`, `  ${r.save.url}`];
      const line = creditLine(r.credits);
      if (line) lines.push(`  ${line}`);
      const post = r.save.post_id !== null ? await postById(ctx, r.save.post_id) : undefined;
      if (post) lines.push(`  Published: ${ctx.config.baseUrl}/posts/${post.slug}`);
      io.stdout.write(`${lines.join("\n")}\n`);
      if (r.problem) io.stderr.write(`liner: ${fetchProblemNotices[r.problem]}\n`);
      return 0;
    } catch (err) {
      if (err instanceof ValidationError) {
        const flag = flagOf(err.field);
        const message = err.message.replace(/^[\w.]+: /, "");
        throw new CliError(flag ? `${flag}: ${message}` : message);
      }
      throw err;
    }
  });
}
