/**
 * What `liner init` and `liner serve` do on a fresh install: seed the demo site into an empty
 * database and print the one-time owner setup link while nobody has an account. Both checks are
 * single-row queries, so start-up stays fast on a large site; the demo module (which renders
 * Markdown and slides) is loaded only when it is needed.
 */
import type { AppContext } from "../lib/context.ts";

/** Seed the demo when the database has never had posts; print the setup link when there are no users. */
export async function firstStart(ctx: AppContext, out: (line: string) => void): Promise<void> {
  const k = ctx.db.kysely;
  const anyPost = await k.selectFrom("posts").select("id").limit(1).executeTakeFirst();
  if (!anyPost) {
    const { seedDemo, demoWasSeeded } = await import("../content/demo.ts");
    // Someone who deleted every demo post to start afresh should not get them back on restart.
    if (!(await demoWasSeeded(ctx))) {
      const n = await seedDemo(ctx);
      // A public list, so the demo shows the subscribe form after posts and at /subscribe.
      const { createList } = await import("../audience/service.ts");
      const { audienceStore } = await import("../audience/store.ts");
      if (!(await audienceStore(ctx.db).listBySlug("articles"))) {
        await createList(ctx, {
          slug: "articles",
          name: "New articles",
          promise: "New articles, about twice a month. Nothing else. Unsubscribe in one click.",
        });
      }
      out(`Seeded a demo site (${n} posts and a mailing list). Edit or delete it from the admin.`);
    }
  }
  const anyUser = await k.selectFrom("users").select("id").limit(1).executeTakeFirst();
  if (!anyUser) {
    const { createSetupToken } = await import("../auth/setup.ts");
    const path = await createSetupToken(ctx);
    out(`No accounts yet. Create the owner account (link valid for 24 hours, one use):`);
    out(`  ${ctx.config.baseUrl}${path}`);
  }
}
