/**
 * The SMTP side of the `send` and `digest` benchmarks: an accept-all smtp-server sink in a child
 * process (the test sink of src/mail/testing.ts), which times every message as it keeps it, and
 * the floor, a bare nodemailer pooled loop. Both sides are timed the same way, by the sink: from
 * its first message to its last, so neither side's start-up or connection set-up is counted.
 *
 * Run as `BENCH_SINK=1 node bench/lib/sink.ts` this file is the sink itself.
 */
import { type ChildProcess, spawn } from "node:child_process";

/** SMTP connections on both sides. */
export const CONCURRENCY = 4;

/** What the sink received since its last reset. */
export interface Counts {
  /** Messages kept. */
  total: number;
  /** Distinct recipients. */
  distinct: number;
  /** Messages to a recipient already seen under another Message-ID (a real duplicate). */
  extraIds: number;
  /** From the first message kept to the last (ms). */
  spanMs: number;
}

/** Messages per second over the sink's span (0 when nothing or one message arrived). */
export const perSecond = (c: Counts) => (c.spanMs > 0 ? (c.total / c.spanMs) * 1000 : 0);

/** Sink side: accept everything, report counts on request over IPC. */
async function runSink(): Promise<void> {
  const { smtpSink } = await import("../../src/mail/testing.ts");
  const sink = await smtpSink();
  // Keep only what the counts need: the raw messages of 50,000 emails would be ~1.3 GB.
  const seen = new Map<string, string>();
  let c: Counts = { total: 0, distinct: 0, extraIds: 0, spanMs: 0 };
  let first = 0;
  let last = 0;
  const drain = () => {
    for (const m of sink.received.splice(0)) {
      c.total++;
      // `at` is when the sink kept the message, not when this drain ran.
      if (!first || m.at < first) first = m.at;
      last = Math.max(last, m.at);
      const id = m.headers.get("message-id") ?? "";
      const prev = seen.get(m.to[0]);
      if (prev === undefined) seen.set(m.to[0], id);
      else if (prev !== id) c.extraIds++;
    }
    c.distinct = seen.size;
    c.spanMs = first ? last - first : 0;
  };
  setInterval(drain, 20).unref();
  process.on("message", (msg: string) => {
    drain();
    process.send?.({ ...c });
    if (msg === "reset") {
      seen.clear();
      c = { total: 0, distinct: 0, extraIds: 0, spanMs: 0 };
      first = last = 0;
    }
  });
  process.send?.({ port: sink.port });
}

if (process.env.BENCH_SINK === "1") await runSink();

/** The sink process: `ask()` reads its counts, `ask("reset")` reads them and starts again from zero. */
export interface SinkProcess {
  child: ChildProcess;
  port: number;
  ask(msg?: "count" | "reset"): Promise<Counts>;
}

/** Start the SMTP sink process on a free loopback port. */
export function startSink(): Promise<SinkProcess> {
  const child = spawn(process.execPath, [new URL(import.meta.url).pathname], {
    env: { ...process.env, BENCH_SINK: "1" },
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

/** A message for the bare loop; `{{unsubscribe_url}}` is filled per recipient. */
export interface BareMessage {
  subject: string;
  html: string;
  text: string;
}

/** The floor: nodemailer's pooled transport sending `n` messages as fast as it goes. */
export async function bareLoop(port: number, n: number, msg: BareMessage): Promise<void> {
  const nodemailer = (await import("nodemailer")).default;
  const t = nodemailer.createTransport({
    pool: true,
    host: "127.0.0.1",
    port,
    maxConnections: CONCURRENCY,
    maxMessages: 1000,
  });
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
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  } finally {
    t.close();
  }
}

/**
 * Run the two sides in `rounds` rounds, alternating which goes first (a b, b a, a b, …), so a
 * warm-up or a change in the machine's load favours neither. Results in run order, with the side.
 */
export async function alternate<T>(
  rounds: number,
  sides: { a: () => Promise<T>; b: () => Promise<T> },
): Promise<{ side: "a" | "b"; round: number; result: T }[]> {
  const out: { side: "a" | "b"; round: number; result: T }[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order: ("a" | "b")[] = round % 2 === 1 ? ["a", "b"] : ["b", "a"];
    for (const side of order) out.push({ side, round, result: await sides[side]() });
  }
  return out;
}
