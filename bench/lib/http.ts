/** HTTP helpers for benchmarks: a keep-alive client that times each request, and wrk. */
import { spawnSync } from "node:child_process";
import http from "node:http";
import { runTimed } from "./proc.ts";

export interface TimedResponse {
  status: number;
  body: Buffer;
  headers: http.IncomingHttpHeaders;
  /** Time from sending the request to the last byte of the body. */
  ms: number;
}

/** A client over one keep-alive connection, as a browser tab would use. */
export class KeepAliveClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly base: URL;
  constructor(base: string) {
    this.base = new URL(base);
  }

  get(path: string, headers: Record<string, string> = {}, timeoutMs = 30_000): Promise<TimedResponse> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = http.get(
        { host: this.base.hostname, port: this.base.port, path, agent: this.agent, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks),
              headers: res.headers,
              ms: performance.now() - started,
            }),
          );
          res.on("error", reject);
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout: GET ${path}`)));
      req.on("error", reject);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** One GET on a fresh connection; rejects on connection errors (e.g. not listening yet). */
export function getOnce(url: string, timeoutMs = 2000): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout: GET ${url}`)));
    req.on("error", reject);
  });
}

/**
 * Poll `url` until it answers 200. Resolves with ms since `since` (a performance.now() value).
 * Rejects when `deadlineMs` passes or `alive()` says the server died.
 */
export async function waitFor200(
  url: string,
  opts: { since?: number; deadlineMs?: number; intervalMs?: number; alive?: () => boolean } = {},
): Promise<number> {
  const since = opts.since ?? performance.now();
  const deadline = since + (opts.deadlineMs ?? 30_000);
  let last = "no answer";
  while (performance.now() < deadline) {
    if (opts.alive && !opts.alive()) throw new Error(`server exited before answering ${url}`);
    try {
      const r = await getOnce(url);
      if (r.status === 200) return performance.now() - since;
      last = `HTTP ${r.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 5));
  }
  throw new Error(`${url} did not answer 200 in time (last: ${last})`);
}

export interface WrkResult {
  rps: number;
  p50: number;
  p75: number;
  p90: number;
  p99: number;
  requests: number;
  /** Non-2xx/3xx responses plus socket errors. */
  errors: number;
  /** wrk's "timeout" count: requests (or waits for a connection) over wrk's 2 s timeout. */
  timeouts: number;
  /** Socket errors other than timeouts (connect + read + write). */
  socketErrors: number;
  /** Non-2xx/3xx responses. */
  non2xx: number;
  transferPerSec: string;
}

function toMs(value: string, unit: string): number {
  const v = Number(value);
  if (unit === "us") return v / 1000;
  if (unit === "ms") return v;
  if (unit === "s") return v * 1000;
  if (unit === "m") return v * 60_000;
  return Number.NaN;
}

/** Parse wrk's --latency output. Pure. */
export function parseWrk(out: string): WrkResult {
  const pct = (p: string) => {
    const m = out.match(new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m"));
    return m ? toMs(m[1], m[2]) : Number.NaN;
  };
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? Number.NaN);
  const requests = Number(out.match(/(\d+) requests in/)?.[1] ?? 0);
  const non2xx = Number(out.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1] ?? 0);
  const sock = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const [connect, read, write, timeouts] = sock ? sock.slice(1).map(Number) : [0, 0, 0, 0];
  const sockErrors = connect + read + write + timeouts;
  return {
    rps,
    p50: pct("50"),
    p75: pct("75"),
    p90: pct("90"),
    p99: pct("99"),
    requests,
    errors: non2xx + sockErrors,
    timeouts,
    socketErrors: connect + read + write,
    non2xx,
    transferPerSec: out.match(/Transfer\/sec:\s+(\S+)/)?.[1] ?? "",
  };
}

/** Open files wanted for a run with many connections (each connection is one on each side). */
export const FD_LIMIT = 65_536;

/**
 * A command line that runs `cmd args` with the soft open-files limit raised to FD_LIMIT (or the
 * hard limit, if lower): the usual default of 1,024 is too few for 1,000 connections.
 */
export function withFdLimit(cmd: string, args: string[]): [string, string[]] {
  const script = `h=$(ulimit -Hn); if [ "$h" = unlimited ] || [ "$h" -gt ${FD_LIMIT} ]; then h=${FD_LIMIT}; fi; ulimit -n "$h"; exec "$@"`;
  return ["bash", ["-c", script, cmd, cmd, ...args]];
}

/** The hard open-files limit of this process's children (what `withFdLimit` can reach). */
export function hardFdLimit(): number {
  const r = spawnSync("bash", ["-c", "ulimit -Hn"], { encoding: "utf8" });
  const v = r.stdout.trim();
  return v === "unlimited" ? Number.POSITIVE_INFINITY : Number(v);
}

/**
 * Run wrk against a URL. Asynchronous on purpose: the servers' piped output must keep being
 * drained while wrk runs, or a chatty server would block on a full pipe.
 */
export async function runWrk(
  wrk: string,
  url: string,
  opts: { threads?: number; connections?: number; seconds: number; script?: string },
): Promise<WrkResult> {
  const args = [
    `-t${opts.threads ?? 2}`,
    `-c${opts.connections ?? 50}`,
    `-d${opts.seconds}s`,
    "--latency",
    ...(opts.script ? ["-s", opts.script] : []),
    url,
  ];
  const [cmd, cmdArgs] = withFdLimit(wrk, args);
  const r = await runTimed(cmd, cmdArgs, { timeoutMs: (opts.seconds + 30) * 1000 });
  if (r.code !== 0) throw new Error(`wrk failed (exit ${r.code}): ${r.output}`);
  const res = parseWrk(r.output);
  if (!Number.isFinite(res.rps)) throw new Error(`could not parse wrk output:\n${r.output}`);
  return res;
}
