/**
 * One export of the whole site: every module's parts (their `exports` hook, gathered by the
 * module host) written in module order to a sink, then README.txt describing each file. The same
 * code writes the CLI's folder and the admin's archive.
 */
import type { AppContext } from "../lib/context.ts";
import type { ExportPart, ExportSink } from "../lib/module.ts";
import { publicBaseUrl } from "../lib/settings/base-url.ts";
import type { FileSink } from "./sinks.ts";

/** What a part wrote, for the summary and README.txt. */
export interface PartResult {
  path: string;
  describe: string;
  count: number;
  /** "12 posts", "1 source". */
  summary: string;
  /** Files it wrote: a folder part that wrote none leaves no folder, and README.txt says so. */
  files: number;
}

export interface ExportHooks {
  /** A part reports progress (items done of a total). */
  progress?(part: ExportPart, done: number, total: number): void;
  /** A part has finished. */
  partDone?(part: ExportPart, result: PartResult): void;
}

export const README = "README.txt";

/** True when `file` belongs to `part`: its own file, or anything in its own folder. */
const owns = (part: ExportPart, file: string) =>
  part.path.endsWith("/") ? file.startsWith(part.path) && file.length > part.path.length : file === part.path;

/** Every module's export parts, checked: no two claim the same file or folder, none claims README.txt. */
export async function exportParts(ctx: AppContext): Promise<ExportPart[]> {
  const parts = await ctx.host.exports();
  const seen = new Set<string>([README]);
  for (const p of parts) {
    const key = p.path.replace(/\/$/, "");
    if (seen.has(key)) throw new Error(`export: two parts write ${p.path}`);
    seen.add(key);
  }
  return parts;
}

/** Write the whole export to `sink`; returns what each part wrote. */
export async function writeExport(ctx: AppContext, sink: FileSink, hooks: ExportHooks = {}): Promise<PartResult[]> {
  const results: PartResult[] = [];
  for (const part of await exportParts(ctx)) {
    await sink.begin?.(part.path);
    // A part writes only inside its own path, so one module can never overwrite another's files.
    const check = (file: string) => {
      if (!owns(part, file)) throw new Error(`export: the ${part.path} part wrote ${file}`);
      return file;
    };
    let files = 0;
    const scoped: ExportSink = {
      file: (file, body) => {
        files++;
        return sink.file(check(file), body);
      },
      copy: (file, from) => {
        files++;
        return sink.copy(check(file), from);
      },
      progress: (done, total) => hooks.progress?.(part, done, total),
    };
    const count = await part.write(ctx, scoped);
    const result = {
      path: part.path,
      describe: part.describe,
      count,
      summary: `${count} ${part.noun[count === 1 ? 0 : 1]}`,
      files,
    };
    results.push(result);
    hooks.partDone?.(part, result);
  }
  await sink.file(README, readme(ctx, results, (await publicBaseUrl(ctx)).url));
  return results;
}

/** Wrap text at `width` columns (words are never split), each line indented by `indent`. */
function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join("\n");
}

/** README.txt: where the export came from, and each file or folder with what it holds. */
export function readme(ctx: AppContext, results: PartResult[], baseUrl = ctx.config.baseUrl): string {
  const head = [
    `Liner Notes: an export of ${baseUrl}, made ${ctx.now().toISOString()}.`,
    "",
    wrap(
      "Everything the site keeps for its owner, in open formats that other programs read: Markdown with YAML " +
        "front matter, OPML, CSV (UTF-8, comma-separated, with a header row), iCalendar and JSON. Times are in " +
        "UTC (ISO 8601). Some files hold other people's personal data (subscribers, registrants, inquiries): " +
        "keep the export as safe as the site itself.",
      78,
      "",
    ),
    "",
  ];
  const body = results.map((r) => {
    const absent = r.path.endsWith("/") && r.files === 0 ? "; none, so the folder is not there" : "";
    return `${r.path} (${r.summary}${absent})\n${wrap(r.describe, 78, "  ")}\n`;
  });
  return `${[...head, ...body].join("\n")}`;
}
