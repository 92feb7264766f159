/** `liner export all DIR [--force]`: the whole site in open formats, in a folder. */
import fs from "node:fs";
import { CliError, lineWriter, parseCommand, withContext } from "../lib/cli.ts";
import type { CliIo } from "../lib/module.ts";
import { createProgress, type Progress } from "../lib/progress.ts";
import { README, writeExport } from "./run.ts";
import { folderSink } from "./sinks.ts";

/** Refuse a DIR that is a file, or a folder with something in it unless `force`. */
function checkTarget(dir: string, force: boolean): void {
  const st = fs.statSync(dir, { throwIfNoEntry: false });
  if (!st) return;
  if (!st.isDirectory()) throw new CliError(`${dir} is a file, not a folder: name a new or empty folder`);
  if (!force && fs.readdirSync(dir).length > 0) {
    throw new CliError(
      `${dir} is not empty: name a new or empty folder, or add --force to replace an earlier export in it`,
    );
  }
}

/** `liner export all DIR` */
export async function exportAll(args: string[], io: CliIo): Promise<number> {
  const out = lineWriter(io.stdout);
  const cmd = "export all";
  const { values, positionals } = parseCommand(cmd, args, { force: { type: "boolean" } }, ["DIR"]);
  const dir = positionals[0];
  const force = values.force === true;
  checkTarget(dir, force);
  return withContext(
    io,
    async (ctx) => {
      fs.mkdirSync(dir, { recursive: true });
      let bar: Progress | undefined;
      let label = "";
      const results = await writeExport(ctx, folderSink(dir, { replace: force }), {
        progress(part, done, total) {
          // One bar per part, drawn only on a terminal (createProgress stays silent otherwise).
          if (!bar || label !== part.path) {
            bar?.finish();
            label = part.path;
            bar = createProgress(`Exporting ${part.path.padEnd(16)}`, total, io.stderr);
          }
          bar.update(done);
        },
        partDone() {
          bar?.finish();
          bar = undefined;
        },
      });
      const width = Math.max(...results.map((r) => r.path.length)) + 2;
      out(`Exported the site to ${dir}:`);
      for (const r of results) out(`  ${r.path.padEnd(width)}${r.summary}`);
      out(`${README} describes each file.`);
      return 0;
    },
    { mustExist: true },
  );
}
