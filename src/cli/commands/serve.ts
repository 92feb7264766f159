/** `liner init` and `liner serve`. */
import cluster from "node:cluster";
import module from "node:module";
import { CliError, intFlag, lineWriter, parseCommand, withContext } from "../../lib/cli.ts";
import { storageErrorOf, storagePlace } from "../../lib/db/storage-errors.ts";
import type { CliIo } from "../../lib/module.ts";
import { writePidFile } from "../../lib/pid-file.ts";
import { publicBaseUrl, recordServedBaseUrl } from "../../lib/settings/base-url.ts";
import { firstStart } from "../first-start.ts";

/** `liner init`: database, demo content, setup link. */
export async function init(args: string[], io: CliIo): Promise<number> {
  const say = lineWriter(io.stdout);
  parseCommand("init", args, {});
  await withContext(io, async (ctx) => {
    say(`Data folder: ${ctx.config.dataDir}`);
    say(`Database: ${ctx.db.dialect === "sqlite" ? "SQLite (liner.db in the data folder)" : "PostgreSQL"}`);
    await firstStart(ctx, say, await publicBaseUrl(ctx));
  });
  return 0;
}

/** `liner serve`: the web server, plus background jobs unless --no-jobs. */
export async function serve(args: string[], io: CliIo): Promise<number | "running"> {
  const say = lineWriter(io.stdout);
  const { values } = parseCommand("serve", args, {
    host: { type: "string" },
    port: { type: "string" },
    "no-jobs": { type: "boolean" },
    processes: { type: "string" },
  });
  const port = intFlag("serve", "port", values.port, 0, 65535);
  const host = values.host as string | undefined;
  // Flags win over HOST/PORT; going through the environment keeps the default base URL in step.
  const env: NodeJS.ProcessEnv = {
    ...io.env,
    ...(host ? { HOST: host } : {}),
    ...(port !== undefined ? { PORT: String(port) } : {}),
  };
  const processes = intFlag("serve", "processes", values.processes, 1, 64) ?? 1;
  if (processes > 1 && cluster.isPrimary) return primary(io, processes, values["no-jobs"] !== true, env);
  // A cluster worker only serves: the primary did first-start work and runs the jobs.
  const inProcessJobs = values["no-jobs"] !== true && !cluster.isWorker;
  const { ListenError, startServer } = await import("../../server.ts");
  if (cluster.isPrimary) await (await import("../compile-cache.ts")).warmCompileCache();
  const ctx = await io.openContext({ inProcessJobs }, env);
  const closeContext = io.closeContext;
  let started: { close(): Promise<void> } | undefined;
  try {
    const server = await startServer(ctx, ctx.config.host, ctx.config.port);
    started = server;
    // With --port 0 the real port is known only now; links must use it.
    if (ctx.config.port === 0 && !env.LINER_BASE_URL) ctx.config.baseUrl = server.url;
    // Everything the server needs is loaded: save the compile cache now rather than at exit.
    module.flushCompileCache?.();
    if (cluster.isWorker) {
      process.on(
        "SIGTERM",
        () =>
          void server
            .close()
            .then(() => closeContext(ctx))
            .then(() => process.exit(0)),
      );
      return "running";
    }
    // CLI commands print links with the address served here (LINER_BASE_URL unset: HOST and PORT).
    await recordServedBaseUrl(ctx, ctx.config.baseUrl);
    await firstStart(ctx, say);
    // Jobs after the server is up: the first request never waits for the reader or mail modules.
    if (inProcessJobs) {
      await (await import("../jobs.ts")).registerAllJobs(ctx);
      ctx.runner.start();
    }
    writePidFile(ctx.config.dataDir, "server");
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) process.exit(1); // a second Ctrl-C: don't wait any longer
      stopping = true;
      io.stderr.write(`\n${signal}: stopping…\n`);
      const force = setTimeout(() => {
        // Keep-alive connections can hold close() open; cut them after a grace period.
        (server.server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }, 3000);
      force.unref();
      await ctx.runner.stop();
      await server.close();
      await closeContext(ctx);
      process.exit(0);
    };
    process.on("SIGINT", () => void stop("SIGINT"));
    process.on("SIGTERM", () => void stop("SIGTERM"));
    // Announce only once the signal handlers are in place, so a supervisor's SIGTERM is never lost.
    say(`Liner Notes is running at ${server.url}${inProcessJobs ? "" : " (background jobs off)"}`);
    return "running";
  } catch (err) {
    // A first start that cannot write (a read-only or full disk) must not leave the port open.
    await started?.close();
    await closeContext(ctx);
    throw err instanceof ListenError ? new CliError(err.message) : err;
  }
}

/**
 * Several processes share one listening socket through node:cluster (connections are handed
 * out round-robin). The primary opens the database once for migrations and first-start work,
 * runs the job runner, and forks the web workers, restarting any that die.
 */
async function primary(io: CliIo, count: number, jobs: boolean, env: NodeJS.ProcessEnv): Promise<"running"> {
  const say = lineWriter(io.stdout);
  const ctx = await io.openContext({ inProcessJobs: jobs }, env);
  const { ListenError, checkListen } = await import("../../server.ts");
  try {
    // The workers listen through this process: a taken port is reported once, here.
    await checkListen(ctx.config.host, ctx.config.port);
  } catch (err) {
    await io.closeContext(ctx);
    throw err instanceof ListenError ? new CliError(err.message) : err;
  }
  if (jobs) await (await import("../jobs.ts")).registerAllJobs(ctx);
  writePidFile(ctx.config.dataDir, "server");
  let stopping = false;
  let announced = false;
  const fork = () => cluster.fork(env);
  cluster.on("listening", async (_w, address) => {
    if (announced) return;
    announced = true;
    // With --port 0 the real port is known only now; links must use it.
    if (ctx.config.port === 0 && !env.LINER_BASE_URL) {
      ctx.config.baseUrl = ctx.config.baseUrl.replace(/:\d+$/, `:${address.port}`);
    }
    try {
      await recordServedBaseUrl(ctx, ctx.config.baseUrl);
      await firstStart(ctx, say);
    } catch (err) {
      // Reported in one line like any command's failure (a read-only or full disk), then stop.
      const storage = storageErrorOf(err, storagePlace(ctx.config));
      io.stderr.write(
        `liner: ${storage?.message ?? (err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`,
      );
      void stop(1);
      return;
    }
    if (jobs) ctx.runner.start();
    say(`Liner Notes is running at ${ctx.config.baseUrl} (${count} processes)`);
  });
  cluster.on("exit", (w, code) => {
    if (stopping) return;
    // A worker that fails before any listened would fail again (the port was taken meanwhile,
    // a bad address): stop rather than fork forever. Its own message is already on stderr.
    if (!announced) {
      io.stderr.write(`liner: a web process could not start (exit ${code}); stopping\n`);
      void stop(1);
      return;
    }
    io.stderr.write(`worker ${w.process.pid} exited (${code}); starting another\n`);
    fork();
  });
  for (let i = 0; i < count; i++) fork();
  async function stop(exitCode = 0) {
    if (stopping) process.exit(1);
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
    await ctx.runner.stop();
    await io.closeContext(ctx);
    process.exit(exitCode);
  }
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  return "running";
}
