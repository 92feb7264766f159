/** Staff accounts (owner only): list, add, change role, remove (never yourself or the last owner). */
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import type { AppContext } from "../lib/context.ts";
import type { Role } from "../lib/db/schema.ts";
import { NotFoundError, ValidationError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { formBody, idParam, noticeOf, one, userOf } from "../lib/http/request.ts";
import { requireUser } from "../lib/http/require-user.ts";
import { getTimeZone } from "../lib/settings/time-zone.ts";
import { type FieldErrors, fieldErrorOf, input, select } from "../lib/ui/form.ts";
import { csrfField, page, when } from "../lib/ui/layout.ts";
import { createUser, findUserById, listUsers, removeUser, roles, setUserRole } from "./users.ts";

const roleOptions = [
  { value: "author", label: "Author (own posts, uploads)" },
  { value: "editor", label: "Editor (all posts, themes, media, settings)" },
  { value: "owner", label: "Owner (everything, including users)" },
];

type NewUser = { email: string; name: string; role: string };

export function userRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/users", requireUser("owner"));
  app.use("/users/*", requireUser("owner"));

  async function listPage(
    c: Context<AppEnv>,
    o: { v?: NewUser; errors?: FieldErrors; status?: number; error?: string } = {},
  ) {
    const me = userOf(c);
    const [users, tz] = await Promise.all([listUsers(ctx), getTimeZone(ctx)]);
    const v = o.v ?? { email: "", name: "", role: "author" };
    const errors = o.errors ?? {};
    return page(
      c,
      {
        title: "Users",
        section: "users",
        notice: noticeOf(c),
        status: o.status,
        error:
          o.error ??
          (Object.keys(errors).length ? "The account was not created. Please correct the fields marked below." : ""),
      },
      html`<h1>Users</h1>
<table class="list">
  <caption class="visually-hidden">Staff accounts</caption>
  <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Since</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>${users.map(
    (u) => html`<tr>
    <td>${u.name}${u.id === me.id ? " (you)" : ""}</td>
    <td>${u.email}</td>
    <td>
      <form method="post" action="/admin/users/${u.id}/role" class="inline">
        ${csrfField(c)}
        <label for="role-${u.id}" class="visually-hidden">Role of ${u.email}</label>
        <select id="role-${u.id}" name="role">${roles.map(
          (r) => html`<option value="${r}"${r === u.role ? html` selected` : ""}>${r}</option>`,
        )}</select>
        <button type="submit">Change<span class="visually-hidden"> role of ${u.email}</span></button>
      </form>
    </td>
    <td>${when(u.created_at, tz)}</td>
    <td>${u.id === me.id ? "" : html`<a href="/admin/users/${u.id}/remove">Remove<span class="visually-hidden"> ${u.email}</span>…</a>`}</td>
  </tr>`,
  )}</tbody>
</table>
<h2>Add a user</h2>
<form method="post" action="/admin/users" class="stack" novalidate>
  ${csrfField(c)}
  ${input({ name: "email", label: "Email", type: "email", value: v.email, required: true, autocomplete: "off", errors })}
  ${input({ name: "name", label: "Name", value: v.name, errors })}
  ${select({ name: "role", label: "Role", value: v.role, options: roleOptions, errors })}
  ${input({
    name: "password",
    label: "Initial password",
    type: "password",
    autocomplete: "new-password",
    hint: "At least 10 characters. Share it with them safely.",
    required: true,
    errors,
  })}
  <div class="actions"><button type="submit" class="primary">Add user</button></div>
</form>`,
    );
  }

  app.get("/users", (c) => listPage(c));

  app.post("/users", async (c) => {
    const b = await formBody(c);
    const v = { email: one(b, "email"), name: one(b, "name"), role: one(b, "role") };
    try {
      await createUser(ctx, { ...v, role: v.role as Role, password: one(b, "password") });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { field, message } = fieldErrorOf(err);
      return listPage(c, { v, errors: { [field || "email"]: message }, status: 422 });
    }
    return c.redirect("/admin/users?msg=created", 303);
  });

  app.post("/users/:id{[0-9]+}/role", async (c) => {
    const id = idParam(c);
    const b = await formBody(c);
    const role = one(b, "role") as Role;
    if (!roles.includes(role)) throw new ValidationError("role: must be owner, editor or author");
    // The role is read from the users table on every request, so this takes effect at once.
    await setUserRole(ctx, id, role);
    return c.redirect("/admin/users?msg=updated", 303);
  });

  app.get("/users/:id{[0-9]+}/remove", async (c) => {
    const u = await findUserById(ctx, idParam(c));
    if (!u) throw new NotFoundError("That user does not exist.");
    return page(
      c,
      { title: "Remove user", section: "users" },
      html`<h1>Remove ${u.name} (${u.email})?</h1>
<p>They will be signed out and can no longer sign in. Their posts stay, without an author.</p>
<form method="post" action="/admin/users/${u.id}/remove" class="actions">
  ${csrfField(c)}
  <button type="submit" class="danger">Remove user</button>
  <a href="/admin/users">Cancel</a>
</form>`,
    );
  });

  app.post("/users/:id{[0-9]+}/remove", async (c) => {
    await removeUser(ctx, userOf(c).id, idParam(c));
    return c.redirect("/admin/users?msg=removed", 303);
  });
}
