/** Opening and closing the application context for one CLI command. */
import { type Config, loadConfig } from "../lib/config.ts";
import { type AppContext, closeContext, createContext } from "../lib/context.ts";

/** Load the configuration from the environment (throws ConfigError) and open the context. */
export async function openContext(overrides: Partial<Config> = {}, env = process.env): Promise<AppContext> {
  return createContext(loadConfig(env, overrides));
}

/** Run `fn` with an open context and always close it, so the process can exit. */
export async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openContext();
  try {
    return await fn(ctx);
  } finally {
    await closeContext(ctx);
  }
}
