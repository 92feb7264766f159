/**
 * /admin/lists (editors and owners): every list with its confirmed, pending and unsubscribed
 * counts; create a list; rename one, change its promise, make it public or private. A field that
 * does not validate comes back in the same form, filled in, with the message beside it (422).
 */
import type { Context, Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { type Body, formBody, idParam, one } from "../lib/http/request.ts";
import { requireUser } from "../lib/http/require-user.ts";
import { fieldErrorOf } from "../lib/ui/form.ts";
import { listById, updateList } from "./lists.ts";
import { type ListValues, listEditPage, listsPage } from "./lists-views.ts";
import { createList } from "./service.ts";
import { listCounts } from "./subscribers.ts";

const notices: Record<string, string> = {
  created: "List created.",
  saved: "Saved.",
};

const valuesOf = (b: Body): ListValues => ({
  slug: one(b, "slug"),
  name: one(b, "name"),
  promise: one(b, "promise"),
  isPublic: one(b, "public") === "1",
});

/** A ValidationError as the errors of a form, by field (`fallback` when it names none). */
const errorsOf = (err: ValidationError, fallback: string) => {
  const { field, message } = fieldErrorOf(err);
  return { [field || fallback]: message };
};

/** Register the Lists pages on the admin app. */
export function listRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/lists", requireUser("editor"));
  app.use("/lists/*", requireUser("editor"));

  const overview = async (c: Context<AppEnv>, extra: Omit<Parameters<typeof listsPage>[1], "counts"> = {}) =>
    listsPage(c, { counts: await listCounts(ctx), ...extra });

  app.get("/lists", (c) => overview(c, { notice: notices[c.req.query("msg") ?? ""] }));

  app.post("/lists", async (c) => {
    const values = valuesOf(await formBody(c));
    try {
      const list = await createList(ctx, {
        slug: values.slug,
        name: values.name,
        promise: values.promise,
        isPublic: values.isPublic,
      });
      return c.redirect(`/admin/lists?msg=created#list-${list.id}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return overview(c, { values, errors: errorsOf(err, "name"), status: 422 });
    }
  });

  app.get("/lists/:id{[0-9]+}", async (c) =>
    listEditPage(c, await listById(ctx, idParam(c)), { notice: notices[c.req.query("msg") ?? ""] }),
  );

  app.post("/lists/:id{[0-9]+}", async (c) => {
    const list = await listById(ctx, idParam(c));
    const values = valuesOf(await formBody(c));
    try {
      await updateList(ctx, list.id, values);
      return c.redirect(`/admin/lists/${list.id}?msg=saved`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return listEditPage(c, list, { values, errors: errorsOf(err, "name"), status: 422 });
    }
  });
}
