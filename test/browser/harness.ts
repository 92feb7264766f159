/**
 * Browser test support: a real server on 127.0.0.1 over a fresh test database, and Debian's
 * Chromium driven by playwright-core.
 */
import { type Browser, chromium } from "playwright-core";
import { createTestContext, type TestContext } from "../../src/lib/testing.ts";
import { type RunningServer, startServer } from "../../src/server.ts";

export interface Site {
  ctx: TestContext;
  server: RunningServer;
  url: string;
  close(): Promise<void>;
}

/** Start the app on a free loopback port. The base URL in config matches the real port. */
export async function startSite(): Promise<Site> {
  const ctx = await createTestContext();
  const server = await startServer(ctx, "127.0.0.1", 0);
  ctx.config.baseUrl = server.url;
  return {
    ctx,
    server,
    url: server.url,
    async close() {
      await server.close();
      await ctx.cleanup();
    },
  };
}

/** Launch headless Chromium (Debian package) with flags that suit a closed network. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
