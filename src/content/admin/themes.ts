/** Themes (editors and the owner): list with post counts, create, edit, delete with confirmation. */
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import type { AppContext } from "../../lib/context.ts";
import { NotFoundError, ValidationError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { formBody, idParam, noticeOf, one } from "../../lib/http/request.ts";
import { requireUser } from "../../lib/http/require-user.ts";
import { type FieldErrors, fieldErrorOf, input, textarea } from "../../lib/ui/form.ts";
import { csrfField, messagePage, page } from "../../lib/ui/layout.ts";
import { type ThemeRow, themeStore } from "../store.ts";
import { deleteTheme, saveTheme } from "../themes.ts";

type ThemeValues = { name: string; slug: string; description: string; position: string };

function themeForm(c: Context<AppEnv>, action: string, v: ThemeValues, errors: FieldErrors, submit: string) {
  return html`<form method="post" action="${action}" class="stack" novalidate>
  ${csrfField(c)}
  ${input({ name: "name", label: "Name", value: v.name, required: true, errors })}
  ${input({ name: "slug", label: "Slug", value: v.slug, hint: "Used in the theme's address. Leave empty to make one from the name.", errors })}
  ${textarea({ name: "description", label: "Description (one paragraph)", value: v.description, rows: 4, errors })}
  ${input({ name: "position", label: "Position", type: "number", value: v.position, hint: "Lower numbers come first.", errors })}
  <div class="actions"><button type="submit" class="primary">${submit}</button></div>
</form>`;
}

const empty: ThemeValues = { name: "", slug: "", description: "", position: "0" };
const valuesOf = (t: ThemeRow): ThemeValues => ({
  name: t.name,
  slug: t.slug,
  description: t.description,
  position: String(t.position),
});

/** Register the theme pages on the admin app. */
export function themeRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/themes/*", requireUser("editor"));
  app.use("/themes", requireUser("editor"));

  async function listPage(c: Context<AppEnv>, v = empty, errors: FieldErrors = {}, status = 200) {
    const [themes, counts] = await Promise.all([themeStore(ctx.db).all(), themeStore(ctx.db).postCounts()]);
    return page(
      c,
      {
        title: "Themes",
        section: "themes",
        notice: noticeOf(c),
        status,
        error: Object.keys(errors).length ? "The theme was not created. Please correct the fields marked below." : "",
      },
      html`<h1>Themes</h1>
<p>The few areas you stand for. Every post has at least one.</p>
${
  themes.length
    ? html`<table class="list">
  <caption class="visually-hidden">Themes</caption>
  <thead><tr><th scope="col">Name</th><th scope="col">Slug</th><th scope="col">Posts</th><th scope="col">Position</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>${themes.map(
    (t) => html`<tr>
    <td><a href="/admin/themes/${t.id}">${t.name}</a></td>
    <td><a href="/themes/${t.slug}">${t.slug}</a></td>
    <td>${counts.get(t.id) ?? 0}</td>
    <td>${t.position}</td>
    <td><a href="/admin/themes/${t.id}/delete">Delete<span class="visually-hidden"> ${t.name}</span>…</a></td>
  </tr>`,
  )}</tbody>
</table>`
    : html`<p>No themes yet.</p>`
}
<h2>New theme</h2>
${themeForm(c, "/admin/themes", v, errors, "Create theme")}`,
    );
  }

  const read = async (c: Context<AppEnv>): Promise<ThemeValues> => {
    const b = await formBody(c);
    return {
      name: one(b, "name"),
      slug: one(b, "slug"),
      description: one(b, "description"),
      position: one(b, "position"),
    };
  };
  const toInput = (v: ThemeValues) => ({ ...v, slug: v.slug.trim() || undefined, position: v.position || "0" });

  app.get("/themes", (c) => listPage(c));

  app.post("/themes", async (c) => {
    const v = await read(c);
    try {
      await saveTheme(ctx, toInput(v));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { field, message } = fieldErrorOf(err);
      return listPage(c, v, { [field || "name"]: message }, 422);
    }
    return c.redirect("/admin/themes?msg=created", 303);
  });

  async function theme(c: Context<AppEnv>): Promise<ThemeRow> {
    const t = await themeStore(ctx.db).byId(idParam(c));
    if (!t) throw new NotFoundError("That theme does not exist.");
    return t;
  }

  const editPage = (c: Context<AppEnv>, t: ThemeRow, v: ThemeValues, errors: FieldErrors = {}, status = 200) =>
    page(
      c,
      { title: `Theme “${t.name}”`, section: "themes", status, error: Object.keys(errors).length ? "Not saved." : "" },
      html`<h1>Theme “${t.name}”</h1>
<p><a href="/admin/themes">All themes</a></p>
${themeForm(c, `/admin/themes/${t.id}`, v, errors, "Save theme")}
<p><a class="danger-link" href="/admin/themes/${t.id}/delete">Delete this theme…</a></p>`,
    );

  app.get("/themes/:id{[0-9]+}", async (c) => {
    const t = await theme(c);
    return editPage(c, t, valuesOf(t));
  });

  app.post("/themes/:id{[0-9]+}", async (c) => {
    const t = await theme(c);
    const v = await read(c);
    try {
      await saveTheme(ctx, toInput(v), t.id);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { field, message } = fieldErrorOf(err);
      return editPage(c, t, v, { [field || "name"]: message }, 422);
    }
    return c.redirect("/admin/themes?msg=updated", 303);
  });

  app.get("/themes/:id{[0-9]+}/delete", async (c) => {
    const t = await theme(c);
    const blockers = await themeStore(ctx.db).postsOnlyIn(t.id);
    if (blockers.length) return refuseDelete(c, t, blockers);
    return page(
      c,
      { title: "Delete theme", section: "themes" },
      html`<h1>Delete the theme “${t.name}”?</h1>
<p>Posts keep their other themes; the theme's page and feed go away. This cannot be undone.</p>
<form method="post" action="/admin/themes/${t.id}/delete" class="actions">
  ${csrfField(c)}
  <button type="submit" class="danger">Delete theme</button>
  <a href="/admin/themes">Cancel</a>
</form>`,
    );
  });

  function refuseDelete(c: Context<AppEnv>, t: ThemeRow, blockers: { id: number; title: string }[]) {
    return messagePage(
      c,
      409,
      "This theme can't be deleted yet",
      `“${t.name}” is the only theme of ${blockers.length} published or scheduled post${blockers.length === 1 ? "" : "s"}. Give ${blockers.length === 1 ? "it" : "them"} another theme first:`,
      html`<ul>${blockers.map((p) => html`<li><a href="/admin/posts/${p.id}">${p.title}</a></li>`)}</ul>`,
    );
  }

  app.post("/themes/:id{[0-9]+}/delete", async (c) => {
    const t = await theme(c);
    const blockers = await deleteTheme(ctx, t.id);
    if (blockers.length) return refuseDelete(c, t, blockers);
    return c.redirect("/admin/themes?msg=deleted", 303);
  });
}
