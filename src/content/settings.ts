/**
 * Site settings, the site-wide `site` setting (JSON, through lib/settings): the site's title and
 * description, and the author's h-card (name, photo, location, links) shown on the about page.
 */
import { z } from "zod";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import { settingsStore } from "../lib/settings/store.ts";
import { contentChanged } from "./service.ts";

export const siteSettingsSchema = z.object({
  title: z.string().trim().min(1, "Site title is required").max(120).default("Liner Notes"),
  description: z.string().trim().max(500).default(""),
  language: z.string().trim().max(20).default("en"),
  author: z
    .object({
      name: z.string().trim().max(120).default(""),
      photoUrl: z.string().trim().max(2000).default(""),
      location: z.string().trim().max(120).default(""),
      bio: z.string().trim().max(2000).default(""),
      email: z.string().trim().max(200).default(""),
      links: z
        .array(z.object({ label: z.string().trim().max(60), url: z.url("links: each link must be a full URL") }))
        .max(20)
        .default([]),
    })
    .default({ name: "", photoUrl: "", location: "", bio: "", email: "", links: [] }),
});
export type SiteSettings = z.output<typeof siteSettingsSchema>;

/** Read settings (defaults filled in). */
export async function getSiteSettings(ctx: AppContext): Promise<SiteSettings> {
  const parsed = siteSettingsSchema.safeParse((await settingsStore(ctx.db).get("site")) ?? {});
  return parsed.success ? parsed.data : siteSettingsSchema.parse({});
}

/** True once site settings have been saved (by the owner, or with the demo). */
export async function siteSettingsSaved(ctx: AppContext): Promise<boolean> {
  return (await settingsStore(ctx.db).get("site")) !== undefined;
}

/** Replace settings after validation. */
export async function saveSiteSettings(ctx: AppContext, input: unknown): Promise<SiteSettings> {
  const r = siteSettingsSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ValidationError(`${issue?.path.join(".") || "settings"}: ${issue?.message}`);
  }
  await settingsStore(ctx.db).put("site", r.data);
  await contentChanged(ctx);
  return r.data;
}
