/**
 * `send`: one new-post email to N recipients (default 50,000) through `liner worker` to an
 * accept-all SMTP sink on 127.0.0.1 (a separate Node process running smtp-server), against a
 * bare nodemailer loop sending the same messages over the same number of pooled connections
 * (the floor), in the same run. Both sides are timed by the sink, from its first message to its
 * last, in two rounds that alternate which side goes first (bare, Liner, Liner, bare). Then the
 * send again with `kill -9` of the worker at about half-way and a restart: every recipient must
 * get the message, at least once. Messages that were in flight at the kill may arrive twice
 * (with the same Message-ID): that is allowed (at-least-once), and counted and reported.
 *
 * The send is queued once through the real `createSend` (mail/service.ts) on a fresh SQLite data
 * folder, copied for each worker run; recipients are given directly, not read from a list.
 */
import fs from "node:fs";
import path from "node:path";
import { linerBin, linerEnv } from "./lib/liner.ts";
import { makeWorkDir, removeWorkDir, rssMb, spawnTracked, stopChild } from "./lib/proc.ts";
import {
  consoleTable,
  fmt,
  fmtMs,
  machineLine,
  markdownTable,
  mean,
  sqliteVersion,
  stamp,
  type Target,
  targetLines,
  writeSection,
} from "./lib/report.ts";
import { alternate, bareLoop, CONCURRENCY, type Counts, perSecond, type SinkProcess, startSink } from "./lib/sink.ts";

export interface SendBenchOptions {
  record: boolean;
  recipients: number;
}

const HTML = `<!doctype html><html><body><h1>What a page cache is for</h1>${"<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. </p>".repeat(40)}<p><a href="{{unsubscribe_url}}">Unsubscribe</a></p></body></html>`;
const TEXT = `What a page cache is for\n\n${"Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(40)}\n\nUnsubscribe: {{unsubscribe_url}}\n`;

/** Queue the send in a fresh data folder through the real service. */
async function queueSend(dataDir: string, n: number): Promise<void> {
  const { loadConfig } = await import("../src/lib/config.ts");
  const { createContext, closeContext } = await import("../src/lib/context.ts");
  const { createSend } = await import("../src/mail/service.ts");
  const { mailTemplate } = await import("../src/mail/template.ts");
  const { raw } = await import("../src/lib/html.ts");
  const ctx = await createContext(
    loadConfig({ LINER_DATA: dataDir, LINER_LOG: "warn", LINER_MAIL_FROM: "Ann <ann@example.com>" }),
  );
  try {
    const people = Array.from({ length: n }, (_, i) => ({
      email: `r${i}@example.net`,
      subscriberId: i + 1,
      vars: { unsubscribe_url: `http://127.0.0.1/unsubscribe/${i}` },
    }));
    // The bare loop's message, with the unsubscribe link as a slot.
    const template = mailTemplate((slot) => ({
      subject: "New: What a page cache is for",
      html: raw(HTML.replaceAll("{{unsubscribe_url}}", String(slot("unsubscribe_url")))),
      text: TEXT.replaceAll("{{unsubscribe_url}}", String(slot("unsubscribe_url"))),
    }));
    await createSend(ctx, { kind: "post", ...template }, people);
  } finally {
    await closeContext(ctx);
  }
}

export interface WorkerRun {
  ms: number;
  peakMb: number;
  counts: Counts;
  killedAt?: number;
}

/** Run `liner worker` until the sink has `n` distinct recipients; optionally kill -9 at `killAt`. */
export async function runWorker(env: Record<string, string>, sink: SinkProcess, n: number, killAt?: number) {
  const started = performance.now();
  let peak = 0;
  let killedAt: number | undefined;
  const start = () =>
    spawnTracked(process.execPath, [linerBin().bin, "worker"], { env, cwd: linerBin().cwd, stdio: "ignore" });
  let child = start();
  const deadline = started + 600_000;
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    peak = Math.max(peak, rssMb(child.pid ?? 0) ?? 0);
    const c = await sink.ask();
    if (killAt !== undefined && killedAt === undefined && c.distinct >= killAt) {
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      killedAt = c.distinct;
      child = start();
    }
    if (c.distinct >= n || performance.now() > deadline) break;
  }
  const ms = performance.now() - started;
  await new Promise((r) => setTimeout(r, 500)); // anything still in flight lands
  await stopChild(child);
  return { ms, peakMb: peak, counts: await sink.ask("reset"), killedAt } satisfies WorkerRun;
}

/** The environment of a worker on `dataDir` sending to the sink, its rate limit out of the way. */
export function workerEnv(dataDir: string, port: number): Record<string, string> {
  const extra = {
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    // Far above what the machine does, so the engine is measured (the shared rate counter is still hit per message).
    LINER_MAIL_RATE: "100000",
    LINER_MAIL_CONCURRENCY: String(CONCURRENCY),
    LINER_MAIL_FROM: "Ann <ann@example.com>",
  };
  return linerEnv({ dataDir, extra });
}

/** A fresh copy of a data folder with the send queued (the worker of each run starts from the same state). */
export function copyData(queued: string, to: string): string {
  fs.cpSync(queued, to, { recursive: true });
  return to;
}

/** "1,935 msg/s" for a side, from the sink's counts. */
const rateText = (c: Counts) => `${fmt(perSecond(c))} msg/s`;

export async function benchSend(o: SendBenchOptions): Promise<void> {
  const n = o.recipients;
  const work = makeWorkDir("send");
  const sink = await startSink();
  try {
    console.log(`send: ${fmt(n)} recipients, SMTP sink on 127.0.0.1:${sink.port}, ${CONCURRENCY} connections`);
    const queued = path.join(work, "queued");
    const q0 = performance.now();
    await queueSend(queued, n);
    console.log(`  queued in ${fmtMs(performance.now() - q0)}`);
    const message = { subject: "New: What a page cache is for", html: HTML, text: TEXT };
    let peakMb = 0;
    let runs = 0;
    const results = await alternate<Counts>(2, {
      a: async () => {
        await bareLoop(sink.port, n, message);
        const c = await sink.ask("reset");
        console.log(`  bare nodemailer loop: ${fmtMs(c.spanMs)} at the sink, ${rateText(c)}`);
        return c;
      },
      b: async () => {
        const dataDir = copyData(queued, path.join(work, `data-${runs++}`));
        const run = await runWorker(workerEnv(dataDir, sink.port), sink, n);
        peakMb = Math.max(peakMb, run.peakMb);
        removeWorkDir(dataDir);
        console.log(`  liner worker: ${fmtMs(run.counts.spanMs)} at the sink, ${rateText(run.counts)}`);
        return run.counts;
      },
    });
    const killed = await runWorker(
      workerEnv(copyData(queued, path.join(work, "data-kill")), sink.port),
      sink,
      n,
      Math.floor(n / 2),
    );
    removeWorkDir(path.join(work, "data-kill"));
    const resent = killed.counts.total - killed.counts.distinct;
    console.log(
      `  kill -9 at ${fmt(killed.killedAt ?? 0)}: ${fmt(killed.counts.distinct)} recipients, ${fmt(resent)} resent, ${fmtMs(killed.ms)}`,
    );

    const side = (s: "a" | "b") => results.filter((r) => r.side === s).map((r) => r.result);
    const bareRate = mean(side("a").map(perSecond));
    const linerRate = mean(side("b").map(perSecond));
    const ratio = linerRate / bareRate;
    const header = ["run", "order", "messages", "recipients", "span at the sink", "messages/s", "peak RSS"];
    const name = { a: "bare nodemailer loop (floor)", b: "liner worker" };
    const rows = [
      ...results.map(({ side: s, round, result: c }) => [
        name[s],
        `round ${round}, ${(round % 2 === 1) === (s === "a") ? "first" : "second"}`,
        fmt(c.total),
        fmt(c.distinct),
        fmtMs(c.spanMs),
        fmt(perSecond(c)),
        "",
      ]),
      ["bare nodemailer loop, mean", "", "", "", "", fmt(bareRate), ""],
      ["liner worker, mean", "", "", "", "", `${fmt(linerRate)} (${ratio.toFixed(2)}×)`, `${fmt(peakMb)} MB`],
      [
        `liner worker, kill -9 at ${fmt(killed.killedAt ?? 0)}`,
        "",
        fmt(killed.counts.total),
        fmt(killed.counts.distinct),
        `${fmtMs(killed.ms)} (wall)`,
        "",
        `${fmt(killed.peakMb)} MB`,
      ],
    ];
    const everyone = side("a").every((c) => c.distinct === n) && side("b").every((c) => c.distinct === n);
    const targets: Target[] = [
      { label: "≥ 0.7× the bare loop's rate", met: ratio >= 0.7 && everyone, actual: `${ratio.toFixed(2)}×` },
      {
        label: "peak RSS ≤ 250 MB",
        met: Math.max(peakMb, killed.peakMb) <= 250,
        actual: `${fmt(Math.max(peakMb, killed.peakMb))} MB`,
      },
      {
        label: `after kill -9 and restart every one of ${fmt(n)} recipients got it, at least once, a resend with the same Message-ID`,
        met: killed.counts.distinct === n && killed.counts.extraIds === 0,
        actual: `${fmt(killed.counts.distinct)} distinct; ${fmt(resent)} in flight at the kill resent (allowed); ${fmt(killed.counts.extraIds)} under another Message-ID`,
      },
    ];
    console.log(`\n${consoleTable(header, rows)}\n`);
    for (const line of targetLines(targets)) console.log(line);
    if (o.record) {
      writeSection(
        "send",
        `## send

${stamp()} · ${machineLine([sqliteVersion()])}

${METHOD(n)}

${markdownTable(header, rows)}

${targetLines(targets).join("\n")}
`,
      );
    }
  } finally {
    await stopChild(sink.child);
    removeWorkDir(work);
  }
}

/** How the figures are made, for the record in docs/benchmarks.md. */
const METHOD = (
  n: number,
) => `One new-post email (~5 KB HTML and text, List-Unsubscribe headers, a per-recipient unsubscribe URL) to
${fmt(n)} recipients, queued once with \`createSend\` on a fresh SQLite data folder (copied for each run) and
sent by \`liner worker\` (${CONCURRENCY} SMTP connections, rate limit out of the way) to an accept-all
smtp-server sink on 127.0.0.1 in another process. The floor is a bare nodemailer pooled loop sending the
same messages over ${CONCURRENCY} connections in the same run. Both sides are timed the same way, by the sink:
from the first message it keeps to the last (the worker's start-up and either side's connection set-up
are not counted). Two rounds alternate which side goes first (bare, worker, worker, bare); the ratio is
of the mean rates. Then the same send with the worker killed (SIGKILL) at about half-way and started
again: every recipient must get the message; a message in flight at the kill may arrive twice with the
same Message-ID (at-least-once), and how many did is reported. Recipients are given to
\`createSend\` directly, not read from a list's subscribers.`;
