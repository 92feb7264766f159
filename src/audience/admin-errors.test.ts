import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { signIn } from "../auth/testing.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { createList } from "./service.ts";

let ctx: TestContext;
let app: Awaited<ReturnType<typeof createApp>>;
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
});
afterEach(() => ctx.cleanup());

test("subscribers: a bad address or filter comes back on its form, filled in, the message at the field", async () => {
  await createList(ctx, { slug: "articles", name: "New articles" });
  await createList(ctx, { slug: "team", name: "Team", isPublic: false });
  const editor = await signIn(ctx, app, { role: "editor" });

  const bad = await editor.form("/admin/subscribers/add", { email: "not-an-address", list: "team", confirmed: "1" });
  assert.equal(bad.status, 400);
  const text = await bad.text();
  assert.match(
    text,
    /value="not-an-address" aria-invalid="true" aria-describedby="add-email-error"><span class="field-error" id="add-email-error">&quot;not-an-address&quot; is not an email address/,
  );
  assert.match(text, /<option value="team" selected>Team \(team\)<\/option><\/select>/, "the list as chosen");
  assert.match(text, /name="confirmed" value="1" checked>/, "the box as ticked");
  assert.doesNotMatch(text, /Back to the admin/);

  const filter = await editor.request("/admin/subscribers?list=artcles");
  assert.equal(filter.status, 400);
  const filterText = await filter.text();
  assert.match(filterText, /id="find-list-error">There is no list “artcles”; lists: articles, team\./);
  assert.match(filterText, /<h2 id="add">Add by hand<\/h2>/, "the whole page, not a bare error");
});
