/**
 * What `liner init` and `liner serve` do on a fresh install: seed the demo site into an empty
 * database and print the one-time owner setup link while nobody has an account. Both checks are
 * single-row queries, so start-up stays fast on a large site; the modules that seed the demo
 * (which render Markdown and slides) are loaded only when they are needed.
 */
import type { AppContext } from "../lib/context.ts";
import type { PublicBaseUrl } from "../lib/settings/base-url.ts";

/**
 * Seed the demo when the database has never had posts; print the setup link when there are no users.
 * `base` is where the link points: `liner serve` knows its own address; `liner init` passes its guess.
 */
export async function firstStart(
  ctx: AppContext,
  out: (line: string) => void,
  base: PublicBaseUrl = { url: ctx.config.baseUrl, note: "" },
): Promise<void> {
  const content = await import("../content/index.ts");
  const n = await content.seedDemoOnFirstStart(ctx);
  if (n > 0) {
    await (await import("../audience/index.ts")).ensureDemoList(ctx);
    out(
      `Seeded a demo site (${n} posts and a mailing list). Setup asks for your site's title and your name; the admin home removes the demo in one step.`,
    );
  }
  const auth = await import("../auth/index.ts");
  if ((await auth.countUsers(ctx)) === 0) {
    const path = await auth.createSetupToken(ctx);
    out(`No accounts yet. Create the owner account and name your site (link valid for 24 hours, one use):`);
    out(`  ${base.url}${path}`);
    if (base.note) out(`  ${base.note}`);
  }
}

/** Import what `firstStart` loads when it runs (for the compile cache). */
export async function preloadFirstStart(): Promise<void> {
  await Promise.all([import("../content/index.ts"), import("../audience/index.ts"), import("../auth/index.ts")]);
}
