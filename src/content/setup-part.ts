/**
 * The site's identity on the one-time setup form: its title, and the author's name, bio and
 * photo. The demo seeds "Dana Whitfield"; whatever the owner types here replaces the demo's
 * identity everywhere it shows (title, byline, footer, feeds). Left blank, the author's name is
 * carried across from the account and the title from the author's name; with neither name typed
 * the form comes back asking for "Your name" (the email's local part is not a public name).
 */
import { html } from "hono/html";
import { HttpError } from "../lib/errors.ts";
import type { SetupPart } from "../lib/module.ts";
import { input, textarea } from "../lib/ui/form.ts";
import { demoSite, isDemoIdentity } from "./demo-identity.ts";
import { mediaUrl, pickVariant, saveUpload } from "./media.ts";
import { getSiteSettings, type SiteSettings, saveSiteSettings } from "./settings.ts";

const LIMITS = { siteTitle: 120, authorName: 120, authorBio: 2000 } as const;
const LABELS = { siteTitle: "Site title", authorName: "Author name", authorBio: "Short bio" } as const;

/** What the setup form settles: the whole site settings to save. */
type Checked = SiteSettings;

export const identityPart: SetupPart<Checked> = {
  async load(ctx) {
    const s = await getSiteSettings(ctx);
    if (isDemoIdentity(s)) return { siteTitle: "", authorName: "", authorBio: "" };
    return { siteTitle: s.title, authorName: s.author.name, authorBio: s.author.bio };
  },

  fromForm(field) {
    return {
      siteTitle: field("siteTitle").trim(),
      authorName: field("authorName").trim(),
      authorBio: field("authorBio").replace(/\r\n/g, "\n").trim(),
    };
  },

  async check(ctx, v, file, account, errors) {
    for (const key of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
      if ((v[key] ?? "").length > LIMITS[key]) {
        errors[key] = `${LABELS[key]} is too long: at most ${LIMITS[key]} characters.`;
      }
    }
    // The public name is always one the owner typed: never the local part of their email.
    if (!v.authorName && !account.name.trim()) {
      errors.name = "Your name is required: the site shows it as the author (or fill in Author name below).";
    }
    if (Object.keys(errors).length > 0) return null;
    const current = await getSiteSettings(ctx);
    // The demo's identity is dropped whole: its location, links and description are Dana's too.
    const base: SiteSettings = isDemoIdentity(current)
      ? {
          ...current,
          description: current.description === demoSite.description ? "" : current.description,
          author: { name: "", photoUrl: "", location: "", bio: "", email: "", links: [] },
        }
      : current;
    const name = v.authorName || account.name.trim();
    const title = v.siteTitle || (isDemoIdentity(current) ? name : current.title) || name;
    const out: SiteSettings = {
      ...base,
      title,
      author: { ...base.author, name, bio: v.authorBio ?? "" },
    };
    const photo = file("authorPhoto");
    if (photo && photo.size > 0) {
      try {
        const m = await saveUpload(ctx, photo, null, { accept: "image" });
        const variant = pickVariant(m, 640);
        if (variant) out.author.photoUrl = mediaUrl(variant.file);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        errors.authorPhoto = err.message;
        return null;
      }
    }
    return out;
  },

  async save(ctx, checked) {
    await saveSiteSettings(ctx, checked);
  },

  fieldset(v, errors) {
    return html`<fieldset class="stack">
  <legend>Your site</legend>
  <p class="hint">Shown as the site's title, on every post's byline, in the footer and in the feeds. Leave a field empty to use your name.</p>
  ${input({ name: "siteTitle", label: "Site title", value: v.siteTitle, errors })}
  ${input({ name: "authorName", label: "Author name", value: v.authorName, autocomplete: "name", hint: "Empty: the name of your account.", errors })}
  ${textarea({ name: "authorBio", label: "Short bio", value: v.authorBio, rows: 3, errors })}
  ${input({ name: "authorPhoto", label: "Photo (optional)", type: "file", hint: "A JPEG, PNG, WebP, GIF or AVIF image. You can add one later in Settings.", errors, extra: html` accept="image/*"` })}
</fieldset>`;
  },
};
