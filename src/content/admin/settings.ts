/** Site settings (editors and the owner): title, description, language, time zone, author h-card. */
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import type { AppContext } from "../../lib/context.ts";
import { HttpError, ValidationError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { fileOf, formBody, noticeOf, one, userOf } from "../../lib/http/request.ts";
import { requireUser } from "../../lib/http/require-user.ts";
import { getTimeZone, isTimeZone, setTimeZone } from "../../lib/settings/time-zone.ts";
import { type FieldErrors, fieldErrorOf, input, select, textarea } from "../../lib/ui/form.ts";
import { csrfField, page } from "../../lib/ui/layout.ts";
import { mediaUrl, pickVariant, saveUpload } from "../media.ts";
import { getSiteSettings, type SiteSettings, saveSiteSettings } from "../settings.ts";

type Values = Record<
  "title" | "description" | "language" | "timeZone" | "name" | "photoUrl" | "location" | "bio" | "email" | "links",
  string
>;

function valuesOf(s: SiteSettings, tz: string): Values {
  return {
    title: s.title,
    description: s.description,
    language: s.language,
    timeZone: tz,
    name: s.author.name,
    photoUrl: s.author.photoUrl,
    location: s.author.location,
    bio: s.author.bio,
    email: s.author.email,
    links: s.author.links.map((l) => `${l.label} | ${l.url}`).join("\n"),
  };
}

/** "Label | https://…" per line (a bare URL is its own label). */
function parseLinks(text: string): { label: string; url: string }[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const i = line.lastIndexOf("|");
      return i < 0 ? { label: line, url: line } : { label: line.slice(0, i).trim(), url: line.slice(i + 1).trim() };
    });
}

const zones = (() => {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["UTC"];
  }
})();

function settingsPage(c: Context<AppEnv>, v: Values, errors: FieldErrors = {}, status = 200) {
  const zoneOptions = (zones.includes(v.timeZone) ? zones : [v.timeZone, ...zones]).map((z) => ({
    value: z,
    label: z,
  }));
  return page(
    c,
    {
      title: "Settings",
      section: "settings",
      notice: noticeOf(c),
      status,
      error: Object.keys(errors).length ? "Settings were not saved. Please correct the fields marked below." : "",
    },
    html`<h1>Settings</h1>
<form method="post" action="/admin/settings" enctype="multipart/form-data" class="stack" novalidate>
  ${csrfField(c)}
  <fieldset>
    <legend>Site</legend>
    ${input({ name: "title", label: "Site title", value: v.title, required: true, errors })}
    ${textarea({ name: "description", label: "Description", value: v.description, rows: 3, errors })}
    ${input({ name: "language", label: "Language", value: v.language, hint: "A language tag such as en, fr or de-CH.", errors })}
    ${select({
      name: "timeZone",
      label: "Time zone",
      value: v.timeZone,
      options: zoneOptions,
      hint: "Used for scheduling posts and for times shown in the admin.",
      errors,
    })}
  </fieldset>
  <fieldset>
    <legend>About you (shown on the about page as your h-card)</legend>
    ${input({ name: "name", label: "Name", value: v.name, autocomplete: "name", errors })}
    ${input({ name: "photoUrl", label: "Photo URL", value: v.photoUrl, hint: "Or upload a photo below.", errors })}
    ${input({ name: "photoFile", label: "Upload a photo", type: "file", errors, extra: html` accept="image/jpeg,image/png,image/webp,image/gif,image/avif"` })}
    ${input({ name: "location", label: "Location", value: v.location, errors })}
    ${textarea({ name: "bio", label: "Short bio", value: v.bio, rows: 4, errors })}
    ${input({ name: "email", label: "Public email", type: "email", value: v.email, errors })}
    ${textarea({
      name: "links",
      label: "Links",
      value: v.links,
      rows: 4,
      hint: "One per line: Label | https://example.com",
      errors,
    })}
  </fieldset>
  <div class="actions"><button type="submit" class="primary">Save settings</button></div>
</form>`,
  );
}

export function settingsRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/settings", requireUser("editor"));

  app.get("/settings", async (c) => settingsPage(c, valuesOf(await getSiteSettings(ctx), await getTimeZone(ctx))));

  app.post("/settings", async (c) => {
    const b = await formBody(c);
    const keys = [
      "title",
      "description",
      "language",
      "timeZone",
      "name",
      "photoUrl",
      "location",
      "bio",
      "email",
      "links",
    ];
    const v = Object.fromEntries(keys.map((k) => [k, one(b, k).replace(/\r\n/g, "\n")])) as Values;
    const photo = fileOf(b, "photoFile");
    if (photo) {
      try {
        const m = await saveUpload(ctx, photo, userOf(c).id, { accept: "image" });
        const variant = pickVariant(m, 640);
        if (variant) v.photoUrl = mediaUrl(variant.file);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        return settingsPage(c, v, { photoFile: err.message }, err.status);
      }
    }
    if (!isTimeZone(v.timeZone)) return settingsPage(c, v, { timeZone: "Choose a time zone from the list." }, 422);
    const input = {
      title: v.title,
      description: v.description,
      language: v.language || "en",
      author: {
        name: v.name,
        photoUrl: v.photoUrl,
        location: v.location,
        bio: v.bio,
        email: v.email,
        links: parseLinks(v.links),
      },
    };
    try {
      await saveSiteSettings(ctx, input);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { field, message } = fieldErrorOf(err, {
        author: "name",
        "author.name": "name",
        "author.photoUrl": "photoUrl",
        "author.location": "location",
        "author.bio": "bio",
        "author.email": "email",
        "author.links": "links",
      });
      return settingsPage(c, v, { [field || "title"]: message }, 422);
    }
    await setTimeZone(ctx, v.timeZone);
    return c.redirect("/admin/settings?msg=saved", 303);
  });
}
