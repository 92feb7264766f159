/**
 * The serving figure of the `federate` benchmark: the `serve` benchmark's first load (`wrk -t2
 * -c50 --latency` on the ~1,000-word post page, nginx serving the same bytes from a file with one
 * worker per core), shortened, on the federating site's own database (10,000 followers, the
 * fan-outs' jobs and the inbound Likes in it): Liner with its page cache, then without.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startNginx } from "../serve.ts";
import { getOnce, runWrk, type WrkResult } from "./http.ts";
import { startLiner } from "./liner.ts";
import { ensureTools, rssMb } from "./proc.ts";

export interface ServeResult {
  pagePath: string;
  bytes: number;
  seconds: number;
  nginx: WrkResult;
  cached: WrkResult;
  uncached: WrkResult;
  rssCached?: number;
  rssUncached?: number;
}

/** wrk on a fresh `liner serve --no-jobs` (page cache on), then one with LINER_PAGE_CACHE=0, against nginx. */
export async function measureServing(o: {
  work: string;
  dataDir: string;
  seconds: number;
  slug: string;
}): Promise<ServeResult> {
  const tools = ensureTools(["wrk", "nginx"]);
  const pagePath = `/posts/${o.slug}`;
  const liner = await startLiner({ dataDir: o.dataDir });
  let page: Awaited<ReturnType<typeof getOnce>>;
  try {
    page = await getOnce(`${liner.url}${pagePath}`);
  } catch (err) {
    await liner.stop();
    throw err;
  }
  if (page.status !== 200) {
    await liner.stop();
    throw new Error(`GET ${pagePath} answered ${page.status}`);
  }
  const www = path.join(o.work, "www");
  fs.mkdirSync(path.dirname(path.join(www, pagePath)), { recursive: true });
  fs.mkdirSync(path.join(o.work, "nginx-tmp"), { recursive: true });
  fs.writeFileSync(path.join(www, pagePath), page.body);
  const load = { threads: 2, connections: 50 };
  const warm = Math.max(1, Math.min(5, Math.round(o.seconds / 5)));
  const measure = async (url: string) => {
    await runWrk(tools.wrk, url, { ...load, seconds: warm });
    return runWrk(tools.wrk, url, { ...load, seconds: o.seconds });
  };
  let rNginx: WrkResult;
  let cached: WrkResult;
  let rssCached: number | undefined;
  try {
    const nginx = await startNginx(tools.nginx, o.work, www, os.availableParallelism(), pagePath);
    try {
      if (!(await getOnce(nginx.url)).body.equals(page.body)) throw new Error("nginx does not serve the same bytes");
      console.log(`  wrk -t2 -c50 -d${o.seconds}s: nginx ...`);
      rNginx = await measure(nginx.url);
    } finally {
      await nginx.stop();
    }
    console.log("  ... Liner (page cache on) ...");
    cached = await measure(`${liner.url}${pagePath}`);
    rssCached = rssMb(liner.pid);
  } finally {
    await liner.stop();
  }
  console.log("  ... Liner (LINER_PAGE_CACHE=0) ...");
  const bare = await startLiner({ dataDir: o.dataDir, pageCache: false });
  let uncached: WrkResult;
  let rssUncached: number | undefined;
  try {
    uncached = await measure(`${bare.url}${pagePath}`);
    rssUncached = rssMb(bare.pid);
  } finally {
    await bare.stop();
  }
  return {
    pagePath,
    bytes: page.body.length,
    seconds: o.seconds,
    nginx: rNginx,
    cached,
    uncached,
    rssCached,
    rssUncached,
  };
}
