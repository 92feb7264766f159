/**
 * The app's modules, in order: the layering of docs/architecture.md, lowest first. The shell
 * (app.ts, admin.ts, cli/) builds routes, navigation, jobs and commands from this list.
 */
import { audienceModule } from "./audience/module.ts";
import { authModule } from "./auth/module.ts";
import { backupModule } from "./backup/module.ts";
import { contentModule } from "./content/module.ts";
import { conversationModule } from "./conversation/module.ts";
import { digestModule } from "./digest/module.ts";
import { eventsModule } from "./events/module.ts";
import { exportModule } from "./export/module.ts";
import { fediverseModule } from "./fediverse/module.ts";
import { inquiriesModule } from "./inquiries/module.ts";
import { insightsModule } from "./insights/module.ts";
import type { LinerModule } from "./lib/module.ts";
import { moduleHost } from "./lib/module.ts";
import { mailModule } from "./mail/module.ts";
import { readerModule } from "./reader/module.ts";
import { siteModule } from "./site/module.ts";
import { syndicationModule } from "./syndication/module.ts";

export const modules: readonly LinerModule[] = [
  mailModule,
  authModule,
  contentModule,
  siteModule,
  readerModule,
  audienceModule,
  eventsModule,
  inquiriesModule,
  conversationModule,
  fediverseModule,
  syndicationModule,
  insightsModule,
  digestModule,
  exportModule,
  backupModule,
];

/** The host of the app's modules (one per process; it keeps the blocks once they are loaded). */
export const appHost = moduleHost(modules);
