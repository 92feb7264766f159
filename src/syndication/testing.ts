/**
 * Tests only: a site with the admin app, a signed-in owner, and the Mastodon and LinkedIn fakes
 * (written from their API docs: no real server can run here), LinkedIn's API pointed at its fake.
 */
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { type Browser, signIn } from "../auth/testing.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { type FakeLinkedIn, startFakeLinkedIn } from "./fake-linkedin.ts";
import { type FakeMastodon, startFakeMastodon } from "./fake-mastodon.ts";
import { registerSyndicationJobs } from "./targets.ts";

export interface FakesWorld {
  ctx: TestContext;
  app: Hono<AppEnv>;
  owner: Browser;
  mastodon: FakeMastodon;
  linkedin: FakeLinkedIn;
  close(): Promise<void>;
}

/** Start the world (the send and backfeed jobs registered). */
export async function fakesWorld(): Promise<FakesWorld> {
  const mastodon = await startFakeMastodon();
  const linkedin = await startFakeLinkedIn();
  const ctx = await createTestContext({ linkedinApi: linkedin.url });
  const app = await createApp(ctx);
  await registerSyndicationJobs(ctx);
  const owner = await signIn(ctx, app);
  return {
    ctx,
    app,
    owner,
    mastodon,
    linkedin,
    async close() {
      await ctx.cleanup();
      await mastodon.close();
      await linkedin.close();
    },
  };
}
