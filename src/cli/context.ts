/** The CLI shell's contexts: opened on the configured database with the app's modules installed. */
import type { Config } from "../lib/config.ts";
import { loadConfig } from "../lib/config.ts";
import { type AppContext, closeContext, createContext } from "../lib/context.ts";
import type { CliIo, CliStreams } from "../lib/module.ts";
import { appHost } from "../modules.ts";

/** The streams of a run plus how its commands open and close contexts. */
export function cliIo(streams: CliStreams): CliIo {
  return {
    ...streams,
    openContext: (
      overrides?: Partial<Config>,
      envOverride?: NodeJS.ProcessEnv,
      opts: { mustExist?: boolean } = {},
    ): Promise<AppContext> =>
      createContext(loadConfig(envOverride ?? streams.env, { ...streams.config, ...overrides }), {
        host: appHost,
        mustExist: opts.mustExist,
      }),
    closeContext,
  };
}
