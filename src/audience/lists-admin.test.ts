import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { signIn } from "../auth/testing.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { addSubscriber, createList } from "./service.ts";
import { audienceStore } from "./store.ts";

let ctx: TestContext;
let app: Awaited<ReturnType<typeof createApp>>;
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
});
afterEach(() => ctx.cleanup());

test("Lists: in the nav for editors; counts per list; create, rename, promise, private; errors at the field", async () => {
  const editor = await signIn(ctx, app, { role: "editor" });
  await createList(ctx, { slug: "articles", name: "New articles" });
  await addSubscriber(ctx, { email: "a@example.org", list: "articles", confirmed: true, source: "test" });
  await addSubscriber(ctx, { email: "b@example.org", list: "articles", confirmed: false, source: "test" });

  const overview = await (await editor.request("/admin/lists")).text();
  assert.match(overview, /<a href="\/admin\/lists" aria-current="page">Lists<\/a>/);
  assert.match(
    overview,
    /<th scope="row">New articles<\/th><td><code>articles<\/code><\/td><td>public<\/td>\s*<td><a [^>]*>1<\/a><\/td><td>1<\/td><td>0<\/td>/,
  );

  const created = await editor.form("/admin/lists", {
    name: "Team notes",
    slug: "",
    promise: "Team only.",
    public: [],
  });
  assert.equal(created.status, 303);
  const team = await audienceStore(ctx.db).listBySlug("team-notes");
  assert.deepEqual([team?.name, team?.promise, team?.is_public], ["Team notes", "Team only.", 0]);

  // A taken slug comes back in the same form, filled in, with the message beside the field.
  const dup = await editor.form("/admin/lists", { name: "Again", slug: "articles", promise: "Kept.", public: "1" });
  assert.equal(dup.status, 422);
  const dupText = await dup.text();
  assert.match(dupText, /id="f-slug-error">There is already a list “articles”\./);
  assert.match(dupText, /name="name" type="text" value="Again"/);
  assert.match(dupText, /name="promise"[^>]*>Kept\.<\/textarea>/);
  assert.doesNotMatch(dupText, /Back to the admin/);

  const id = team?.id ?? 0;
  const edit = await editor.request(`/admin/lists/${id}`);
  assert.match(await edit.text(), /name="name" type="text" value="Team notes"/);
  const saved = await editor.form(`/admin/lists/${id}`, { name: "The team", promise: "Weekly.", public: "1" });
  assert.equal(saved.status, 303);
  const after = await audienceStore(ctx.db).listById(id);
  assert.deepEqual(
    [after?.slug, after?.name, after?.promise, after?.is_public],
    ["team-notes", "The team", "Weekly.", 1],
  );
  // Now public, it is offered at /subscribe.
  assert.match(await (await app.request("/subscribe")).text(), /The team/);

  const empty = await editor.form(`/admin/lists/${id}`, { name: " ", promise: "Changed?", public: "1" });
  assert.equal(empty.status, 422);
  const emptyText = await empty.text();
  assert.match(emptyText, /id="f-name-error">A list needs a name\./);
  assert.match(emptyText, /Changed\?<\/textarea>/);
  assert.equal((await audienceStore(ctx.db).listById(id))?.name, "The team", "nothing saved");

  assert.equal((await editor.request("/admin/lists/999")).status, 404);
  const forged = await editor.form(`/admin/lists/${id}`, { name: "Forged", promise: "", public: "1" }, { csrf: false });
  assert.equal(forged.status, 403);
  const author = await signIn(ctx, app, { role: "author" });
  assert.equal((await author.request("/admin/lists")).status, 403);
  assert.doesNotMatch(await (await author.request("/admin")).text(), /href="\/admin\/lists"/);
});

test("Lists: a name over 120 characters or a promise over 1000 comes back with the message beside it", async () => {
  const editor = await signIn(ctx, app, { role: "editor" });
  const form = await (await editor.request("/admin/lists")).text();
  assert.match(form, /name="name" type="text" value=""[^>]* maxlength="120"/);
  assert.match(form, /<textarea id="f-promise" name="promise"[^>]* maxlength="1000"/);

  const long = await editor.form("/admin/lists", { name: "X".repeat(5000), slug: "", promise: "Kept.", public: "1" });
  assert.equal(long.status, 422);
  const longText = await long.text();
  assert.match(longText, /id="f-name-error">The name is 5000 characters long; at most 120\./);
  assert.match(longText, /Kept\.<\/textarea>/, "filled in as sent");
  assert.deepEqual(await audienceStore(ctx.db).allLists(), [], "nothing saved");

  const wordy = await editor.form("/admin/lists", { name: "Wordy", slug: "", promise: "Y".repeat(1001), public: "1" });
  assert.equal(wordy.status, 422);
  assert.match(await wordy.text(), /id="f-promise-error">The promise is 1001 characters long; at most 1000\./);

  const list = await createList(ctx, { slug: "articles", name: "N".repeat(120), promise: "P".repeat(1000) });
  const edit = await editor.form(`/admin/lists/${list.id}`, { name: "N".repeat(121), promise: "", public: "1" });
  assert.equal(edit.status, 422);
  assert.match(await edit.text(), /id="f-name-error">The name is 121 characters long; at most 120\./);
  assert.equal((await audienceStore(ctx.db).listById(list.id))?.name, "N".repeat(120), "nothing saved");
});
