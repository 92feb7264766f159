/** `liner` command line (minimal: `serve`; the CLI module grows this). */

import { registerContentJobs } from "../content/service.ts";
import { ConfigError, loadConfig } from "../lib/config.ts";
import { createContext } from "../lib/context.ts";
import { startServer } from "../server.ts";

async function main(argv: string[]): Promise<number> {
  const [cmd = "serve"] = argv;
  const config = loadConfig();
  if (cmd === "serve") {
    const ctx = await createContext(config);
    registerContentJobs(ctx);
    ctx.runner.start();
    const s = await startServer(ctx, config.host, config.port);
    console.log(`Liner Notes is running at ${s.url}`);
    return -1;
  }
  console.error(`unknown command: ${cmd}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    if (err instanceof ConfigError) {
      console.error(`liner: ${err.message}`);
      process.exit(2);
    }
    console.error(err);
    process.exit(1);
  },
);
