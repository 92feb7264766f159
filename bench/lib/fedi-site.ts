/**
 * The site's side of the `federate` benchmark: followers written straight into `fedi_followers`
 * (as the inbox would have stored their Follows), posts published through the real content
 * service in this process (so that `post.changed` queues the fan-out exactly as the editor does),
 * `liner worker` as a child process whose peak RSS is sampled, and the queue's state read from the
 * database.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import type { Db } from "../../src/lib/db/index.ts";
import { waitFor200 } from "./http.ts";
import { linerBin, linerEnv } from "./liner.ts";
import { captureOutput, spawnTracked, stopChild } from "./proc.ts";

/** Followers on each server, every one of a server's accounts behind its shared inbox. */
export const PER_SERVER = 10;

/** Insert `followers` accepted followers, PER_SERVER on each server (`origin(s)`). */
export async function seedFollowers(db: Db, followers: number, origin: (server: number) => string): Promise<void> {
  const at = new Date().toISOString();
  const rows = Array.from({ length: followers }, (_, j) => {
    const o = origin(Math.floor(j / PER_SERVER));
    const actor = `${o}/users/f${j}`;
    return {
      actor_uri: actor,
      handle: `@f${j}@${new URL(o).host}`,
      name: `Follower ${j}`,
      host: new URL(o).hostname,
      url: `${o}/@f${j}`,
      inbox_url: `${actor}/inbox`,
      shared_inbox_url: `${o}/inbox`,
      follow_id: `${actor}#follows/1`,
      status: "accepted" as const,
      via_post_id: null,
      created_at: at,
      removed_at: null,
    };
  });
  await db.kysely.transaction().execute(async (t) => {
    for (let i = 0; i < rows.length; i += 500)
      await t
        .insertInto("fedi_followers")
        .values(rows.slice(i, i + 500))
        .execute();
  });
}

/** Fediverse messages (deliveries, fan-outs, received activities) not yet done, and failed ones. */
export async function queueState(db: Db): Promise<{ pending: number; failed: number; done: number }> {
  const rows = await sql<{ status: string; n: number }>`SELECT status, COUNT(*) AS n FROM jobs
    WHERE kind = 'fediverse.message' GROUP BY status`.execute(db.kysely);
  const n = (s: string) => Number(rows.rows.find((r) => r.status === s)?.n ?? 0);
  return { pending: n("queued") + n("running"), failed: n("failed"), done: n("done") };
}

/** A publisher: the content service on the site's database, its modules listening. */
export async function openPublisher(env: Record<string, string>) {
  const { loadConfig } = await import("../../src/lib/config.ts");
  const { createContext, closeContext } = await import("../../src/lib/context.ts");
  const { appHost } = await import("../../src/modules.ts");
  const { savePost, systemActor } = await import("../../src/content/index.ts");
  const ctx = await createContext(loadConfig(env), { host: appHost });
  const theme = await ctx.db.kysely.selectFrom("themes").select("id").orderBy("id").executeTakeFirstOrThrow();
  // No links in the body: publishing would queue Webmentions to them.
  const paragraph =
    "A post about keeping one's words on one's own site, sent to every follower as it is published. ".repeat(8);
  return {
    ctx,
    /** Publish post `n`; resolves once its fan-out is queued. */
    async publish(n: number): Promise<number> {
      const post = await savePost(ctx, systemActor, {
        kind: "article",
        title: `Notes from the fan-out, part ${n}`,
        slug: `fan-out-${n}`,
        summary: "What happens when one post goes to ten thousand followers.",
        body: Array.from({ length: 4 }, () => paragraph).join("\n\n"),
        themeIds: [theme.id],
        status: "published",
      });
      return post.id;
    },
    close: () => closeContext(ctx),
  };
}

/** `liner serve` on a port of our choosing, so that a restart keeps the site's address (its objects' ids). */
export async function startSite(o: { dataDir: string; port: number; jobs: boolean; env: Record<string, string> }) {
  const { bin, cwd } = linerBin();
  const url = `http://127.0.0.1:${o.port}`;
  const env = linerEnv({ dataDir: o.dataDir, extra: { ...o.env, LINER_BASE_URL: url } });
  const args = [bin, "serve", "--host", "127.0.0.1", "--port", String(o.port), ...(o.jobs ? [] : ["--no-jobs"])];
  const child = spawnTracked(process.execPath, args, { env, cwd });
  const output = captureOutput(child);
  try {
    await waitFor200(`${url}/`, {
      deadlineMs: 60_000,
      alive: () => child.exitCode === null && child.signalCode === null,
    });
  } catch (err) {
    await stopChild(child);
    throw new Error(`${(err as Error).message}\n--- liner output ---\n${output().slice(-3000)}`);
  }
  return { child, pid: child.pid ?? 0, url, env, output, stop: () => stopChild(child) };
}

/** `liner worker` with its peak RSS (VmHWM) sampled while it runs. */
export interface Worker {
  child: ChildProcess;
  /** Highest VmHWM seen (MB). */
  peakMb(): number;
  /** CPU time used since it said it runs (its start-up not counted), in ms. */
  cpuMs(): number;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

const hwmMb = (pid: number) => {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
};

/** CPU time (user + system) a process has used, in ms, from /proc (0 once it is gone). */
export function cpuMs(pid: number): number {
  try {
    // Fields 14 and 15 (utime, stime) in clock ticks, after the command name in parentheses.
    const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** Start `liner worker`; resolves once it says it runs. */
export async function startWorker(env: Record<string, string>): Promise<Worker> {
  const { bin, cwd } = linerBin();
  const child = spawnTracked(process.execPath, [bin, "worker"], { env, cwd });
  let out = "";
  let peak = 0;
  const sample = setInterval(() => {
    peak = Math.max(peak, hwmMb(child.pid ?? 0));
  }, 50);
  child.once("exit", () => clearInterval(sample));
  child.stderr?.on("data", (d) => {
    out = (out + d).slice(-4000);
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d) => {
      out = (out + d).slice(-4000);
      if (out.includes("Liner worker running")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`liner worker exited (${code}):\n${out}`)));
  });
  const cpu0 = cpuMs(child.pid ?? 0);
  let cpuLast = cpu0;
  const cpuNow = () => {
    cpuLast = Math.max(cpuLast, cpuMs(child.pid ?? 0));
    return cpuLast - cpu0;
  };
  return {
    child,
    peakMb: () => Math.max(peak, hwmMb(child.pid ?? 0)),
    cpuMs: cpuNow,
    async kill9() {
      peak = Math.max(peak, hwmMb(child.pid ?? 0));
      cpuNow();
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      cpuNow();
      await stopChild(child);
    },
  };
}

/** The data folder's SQLite file. */
export const sqliteOf = (dataDir: string) => path.join(dataDir, "liner.db");
