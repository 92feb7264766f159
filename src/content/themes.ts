/** Themes: the few areas the user stands for. */
import { z } from "zod";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError, ValidationError } from "../lib/errors.ts";
import { contentChanged } from "./service.ts";
import { isSlug, slugify } from "./slug.ts";
import { type ThemeRow, themeStore } from "./store.ts";

const themeSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(80, "Name must be at most 80 characters"),
  slug: z.string().trim().optional(),
  description: z.string().trim().max(2000, "Description must be at most 2000 characters").default(""),
  position: z.coerce
    .number({ error: "enter a whole number (lower numbers come first)" })
    .int("enter a whole number (lower numbers come first)")
    .default(0),
});

/** Create or update a theme. */
export async function saveTheme(ctx: AppContext, raw: unknown, id?: number): Promise<ThemeRow> {
  const r = themeSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue?.path.join(".") || "input";
    throw new ValidationError(`${field}: ${issue?.message}`, { field });
  }
  const slug = r.data.slug || slugify(r.data.name);
  if (!isSlug(slug)) throw new ValidationError("slug: use lowercase letters, digits and hyphens", { field: "slug" });
  const store = themeStore(ctx.db);
  const clash = await store.bySlug(slug);
  if (clash && clash.id !== id) throw new ValidationError(`slug: theme "${slug}" already exists`, { field: "slug" });
  const values = { name: r.data.name, slug, description: r.data.description, position: r.data.position };
  let theme: ThemeRow;
  if (id !== undefined) {
    if (!(await store.byId(id))) throw new NotFoundError(`Theme ${id} not found`);
    theme = await store.update(id, values);
  } else {
    theme = await store.insert({ ...values, created_at: ctx.now().toISOString() });
  }
  await contentChanged(ctx);
  return theme;
}

/** Find a theme by slug, creating it (name from the tag) if missing. Used by the importer. */
export async function ensureTheme(ctx: AppContext, tag: string): Promise<ThemeRow> {
  const slug = slugify(tag) || "general";
  const existing = await themeStore(ctx.db).bySlug(slug);
  if (existing) return existing;
  return saveTheme(ctx, { name: tag.trim() || slug, slug });
}

/**
 * Delete a theme, unless it is the only theme of a published or scheduled post (every public
 * post has one): returns those posts, and deletes only when there are none.
 */
export async function deleteTheme(ctx: AppContext, id: number): Promise<{ id: number; title: string }[]> {
  const blockers = await themeStore(ctx.db).postsOnlyIn(id);
  if (blockers.length) return blockers;
  await themeStore(ctx.db).delete(id);
  await contentChanged(ctx);
  return [];
}
