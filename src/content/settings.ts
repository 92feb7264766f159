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

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>.]+(?:\.[^\s@<>.]+)+$/;

/**
 * What saving checks beyond the shapes (settings already stored are read as they are, so a
 * stricter rule never loses a site's settings): each value ends up in the public pages' markup,
 * an image's `src`, a `mailto:` or `lang`, so it must be one those accept.
 */
function checkForSaving(s: SiteSettings): void {
  if (!LANGUAGE_TAG.test(s.language)) {
    throw new ValidationError("language: use a language tag such as en, fr or de-CH", { field: "language" });
  }
  const photo = s.author.photoUrl;
  if (photo && !(/^\/(?!\/)/.test(photo) || /^https?:\/\/[^/\s]+/i.test(photo))) {
    throw new ValidationError("author.photoUrl: use an http(s):// address of an image, or upload a photo", {
      field: "author.photoUrl",
    });
  }
  if (s.author.email && !EMAIL.test(s.author.email)) {
    throw new ValidationError(`author.email: ${JSON.stringify(s.author.email)} is not an email address`, {
      field: "author.email",
    });
  }
}

/** Replace settings after validation. */
export async function saveSiteSettings(ctx: AppContext, input: unknown): Promise<SiteSettings> {
  const r = siteSettingsSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ValidationError(`${issue?.path.join(".") || "settings"}: ${issue?.message}`);
  }
  checkForSaving(r.data);
  await settingsStore(ctx.db).put("site", r.data);
  await contentChanged(ctx);
  return r.data;
}
