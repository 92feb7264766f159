/**
 * `send`: one new-post email to N recipients (default 50,000) through `liner worker` to an
 * accept-all SMTP sink on 127.0.0.1 (a separate Node process running smtp-server), against a
 * bare nodemailer loop sending the same messages over the same number of pooled connections
 * (the floor), in the same run. Then the send again with `kill -9` of the worker at about
 * half-way and a restart: the sink must hold every recipient, and each with one Message-ID.
 *
 * The send is queued through the real `createSend` (mail/service.ts) on a fresh SQLite data
 * folder; recipients are given directly, not read from a list. Run as `BENCH_SEND_SINK=1 node bench/send.ts` this file is the sink itself.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { linerBin, linerEnv } from "./lib/liner.ts";
import { makeWorkDir, removeWorkDir, rssMb, spawnTracked, stopChild } from "./lib/proc.ts";
import {
  consoleTable,
  fmt,
  fmtMs,
  machineLine,
  markdownTable,
  sqliteVersion,
  stamp,
  type Target,
  targetLines,
  writeSection,
} from "./lib/report.ts";

export interface SendBenchOptions {
  record: boolean;
  recipients: number;
}

export const CONCURRENCY = 4;
const HTML = `<!doctype html><html><body><h1>What a page cache is for</h1>${"<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. </p>".repeat(40)}<p><a href="{{unsubscribe_url}}">Unsubscribe</a></p></body></html>`;
const TEXT = `What a page cache is for\n\n${"Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(40)}\n\nUnsubscribe: {{unsubscribe_url}}\n`;

/** Sink side: accept everything, report counts on request over IPC. */
async function runSink(): Promise<void> {
  const { smtpSink } = await import("../src/mail/testing.ts");
  const sink = await smtpSink();
  // Keep only what the counts need: the raw messages of 50,000 emails would be ~1.3 GB.
  const seen = new Map<string, string>();
  let total = 0;
  let extraIds = 0;
  let first = 0;
  let last = 0;
  const received = sink.received;
  const drain = () => {
    for (const m of received.splice(0)) {
      total++;
      const now = performance.now();
      first ||= now;
      last = now;
      const id = m.headers.get("message-id") ?? "";
      const prev = seen.get(m.to[0]);
      if (prev === undefined) seen.set(m.to[0], id);
      else if (prev !== id) extraIds++;
    }
  };
  setInterval(drain, 20).unref();
  process.on("message", (msg: string) => {
    drain();
    if (msg === "reset") {
      seen.clear();
      total = extraIds = first = last = 0;
    }
    process.send?.({ total, distinct: seen.size, extraIds, spanMs: last - first });
  });
  process.send?.({ port: sink.port });
}

if (process.env.BENCH_SEND_SINK === "1") await runSink();

export interface Counts {
  total: number;
  distinct: number;
  extraIds: number;
  spanMs: number;
}

/** Start the SMTP sink process; `ask()` reads its counts, `ask("reset")` clears them. */
export function startSink(): Promise<{ child: ChildProcess; port: number; ask(msg?: string): Promise<Counts> }> {
  const child = spawn(process.execPath, [new URL(import.meta.url).pathname], {
    env: { ...process.env, BENCH_SEND_SINK: "1" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ask = (msg = "count") =>
    new Promise<Counts>((resolve) => {
      child.once("message", (m) => resolve(m as Counts));
      child.send(msg);
    });
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve({ child, port: (m as { port: number }).port, ask }));
    child.once("exit", (code) => reject(new Error(`SMTP sink exited (${code})`)));
  });
}

/** A message template for the bare loop; `{{unsubscribe_url}}` is filled per recipient. */
export interface BareMessage {
  subject: string;
  html: string;
  text: string;
}

/** The floor: nodemailer's pooled transport, the same messages, as fast as it goes. */
export async function bareLoop(
  port: number,
  n: number,
  msg: BareMessage = { subject: "New: What a page cache is for", html: HTML, text: TEXT },
): Promise<number> {
  const nodemailer = (await import("nodemailer")).default;
  const t = nodemailer.createTransport({
    pool: true,
    host: "127.0.0.1",
    port,
    maxConnections: CONCURRENCY,
    maxMessages: 1000,
  });
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < n) {
      const i = next++;
      const url = `http://127.0.0.1/unsubscribe/${i}`;
      await t.sendMail({
        from: "Ann <ann@example.com>",
        to: `r${i}@example.net`,
        subject: msg.subject,
        html: msg.html.replaceAll("{{unsubscribe_url}}", url),
        text: msg.text.replaceAll("{{unsubscribe_url}}", url),
        messageId: `<bare.${i}@example.com>`,
        headers: { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const ms = performance.now() - started;
  t.close();
  return ms;
}

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
export async function runWorker(
  env: Record<string, string>,
  sink: { ask(): Promise<Counts> },
  n: number,
  killAt?: number,
) {
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
  return { ms, peakMb: peak, counts: await sink.ask(), killedAt } satisfies WorkerRun;
}

export async function benchSend(o: SendBenchOptions): Promise<void> {
  const n = o.recipients;
  const work = makeWorkDir("send");
  const sink = await startSink();
  try {
    console.log(`send: ${fmt(n)} recipients, SMTP sink on 127.0.0.1:${sink.port}, ${CONCURRENCY} connections`);
    const bareMs = await bareLoop(sink.port, n);
    const bare = await sink.ask();
    await sink.ask("reset");
    console.log(`  bare nodemailer loop: ${fmtMs(bareMs)} (${fmt(bare.distinct)} received)`);
    // The worker's rate limit is set far above what the machine does, so the engine is measured.
    const extra = {
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      LINER_MAIL_RATE: "100000",
      LINER_MAIL_CONCURRENCY: String(CONCURRENCY),
      LINER_MAIL_FROM: "Ann <ann@example.com>",
    };
    const runs: WorkerRun[] = [];
    for (const [name, killAt] of [
      ["plain", undefined],
      ["kill -9 at half", Math.floor(n / 2)],
    ] as const) {
      const dataDir = path.join(work, `data-${runs.length}`);
      const q0 = performance.now();
      await queueSend(dataDir, n);
      console.log(`  ${name}: queued in ${fmtMs(performance.now() - q0)}`);
      const run = await runWorker(linerEnv({ dataDir, extra }), sink, n, killAt);
      runs.push(run);
      await sink.ask("reset");
      console.log(
        `  ${name}: ${fmtMs(run.ms)}, ${fmt(run.counts.distinct)} recipients, ${fmt(run.counts.total)} messages, peak RSS ${fmt(run.peakMb)} MB`,
      );
      removeWorkDir(dataDir);
    }
    const rate = (count: number, ms: number) => (count / ms) * 1000;
    const bareRate = rate(n, bareMs);
    const [plain, killed] = runs;
    const plainRate = rate(plain.counts.total, plain.counts.spanMs || plain.ms);
    const header = ["run", "messages", "recipients", "time", "messages/s", "vs bare loop", "peak RSS"];
    const rows = [
      ["bare nodemailer loop (floor)", fmt(n), fmt(bare.distinct), fmtMs(bareMs), fmt(bareRate), "1.00×", ""],
      [
        "liner worker",
        fmt(plain.counts.total),
        fmt(plain.counts.distinct),
        fmtMs(plain.counts.spanMs),
        fmt(plainRate),
        `${(plainRate / bareRate).toFixed(2)}×`,
        `${fmt(plain.peakMb)} MB`,
      ],
      [
        `liner worker, kill -9 at ${fmt(killed.killedAt ?? 0)}`,
        fmt(killed.counts.total),
        fmt(killed.counts.distinct),
        fmtMs(killed.ms),
        "",
        "",
        `${fmt(killed.peakMb)} MB`,
      ],
    ];
    const resent = killed.counts.total - killed.counts.distinct;
    const targets: Target[] = [
      {
        label: "≥ 0.7× the bare loop's rate",
        met: plainRate >= 0.7 * bareRate,
        actual: `${(plainRate / bareRate).toFixed(2)}×`,
      },
      {
        label: "peak RSS ≤ 250 MB",
        met: Math.max(plain.peakMb, killed.peakMb) <= 250,
        actual: `${fmt(Math.max(plain.peakMb, killed.peakMb))} MB`,
      },
      {
        label: `after kill -9 and restart the sink holds exactly ${fmt(n)} distinct recipients, none twice`,
        met: killed.counts.distinct === n && resent === 0,
        actual: `${fmt(killed.counts.distinct)} distinct, ${fmt(resent)} received twice (same Message-ID: ${killed.counts.extraIds === 0 ? "yes" : "no"})`,
      },
    ];
    console.log(`\n${consoleTable(header, rows)}\n`);
    for (const line of targetLines(targets)) console.log(line);
    if (o.record) {
      writeSection(
        "send",
        `## send

${stamp()} · ${machineLine([sqliteVersion()])}

One new-post email (~5 KB HTML and text, List-Unsubscribe headers, a per-recipient unsubscribe URL) to
${fmt(n)} recipients, queued with \`createSend\` on a fresh SQLite data folder and sent by \`liner worker\`
(${CONCURRENCY} SMTP connections, rate limit out of the way) to an accept-all smtp-server sink on 127.0.0.1 in
another process. The floor is a bare nodemailer pooled loop sending the same messages over ${CONCURRENCY}
connections in the same run. The worker's rate is counted at the sink from its first to its last message.
Then the same send with the worker killed (SIGKILL) at about half-way and started again.
Recipients are given to \`createSend\` directly, not read from a list's subscribers.

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
