/**
 * Keeping Node's TypeScript stripper out of `liner serve`. Node strips TypeScript with a
 * WebAssembly compiler that keeps ~15 MB (and more as it works) once loaded; it is not loaded at
 * all when every module comes from the compile cache (bin/liner.js turns it on). The server loads
 * much of its code later (the admin on its first request, the blocks of a post page, the jobs),
 * so a cache filled by an earlier version would make it load the stripper mid-run.
 *
 * So on start, unless the cache is known to hold every module of these sources (a stamp of the
 * sources' sizes and times, kept in the cache folder), the server loads everything it may load
 * later, saves the cache, writes the stamp, and, if that needed the stripper, starts once more
 * as the same process (execve) before it opens anything.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import module from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("../", import.meta.url));
const STRIPPER = "NativeModule internal/deps/amaro/dist/index";

const stripperLoaded = () => ((process as { moduleLoadList?: string[] }).moduleLoadList ?? []).includes(STRIPPER);

/** A hash of every source file's path, size and modification time (a few milliseconds). */
function sourceStamp(): string {
  const h = createHash("sha256");
  for (const f of fs.readdirSync(SRC, { recursive: true, encoding: "utf8" }).sort()) {
    if (!f.endsWith(".ts") || f.endsWith(".test.ts")) continue;
    const st = fs.statSync(path.join(SRC, f));
    h.update(`${f}\0${st.size}\0${st.mtimeMs}\n`);
  }
  return h.digest("hex").slice(0, 16);
}

/** See the module comment. Returns only when the server should carry on in this process. */
export async function warmCompileCache(): Promise<void> {
  const dir = module.getCompileCacheDir?.();
  if (!dir || process.env.LINER_RESTARTED || typeof process.execve !== "function") return;
  const stamp = path.join(dir, `liner-${sourceStamp()}`);
  if (fs.existsSync(stamp) && !stripperLoaded()) return;
  await (await import("../app.ts")).preloadLazyRoutes();
  await (await import("./first-start.ts")).preloadFirstStart();
  module.flushCompileCache();
  for (const old of fs.readdirSync(dir).filter((f) => f.startsWith("liner-")))
    fs.rmSync(path.join(dir, old), { force: true });
  fs.writeFileSync(stamp, "");
  if (!stripperLoaded()) return;
  try {
    const args = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
    process.execve(process.execPath, args, { ...process.env, LINER_RESTARTED: "1" });
  } catch {
    // Not allowed here: carry on with the stripper loaded.
  }
}
