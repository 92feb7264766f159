import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { createUser, TEST_PASSWORD } from "../auth/testing.ts";
import { ValidationError } from "../lib/errors.ts";
import { type EditorPart, moduleHost } from "../lib/module.ts";
import type { Actor } from "../lib/roles.ts";
import { setTimeZone } from "../lib/settings/time-zone.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { type EditorValues, type ExistingPost, postInputFor, submitPost } from "./editor.ts";
import { historyStore, postStore } from "./store.ts";
import { saveTheme } from "./themes.ts";

const values = (over: Partial<EditorValues> = {}): EditorValues => ({
  title: "Owning your words",
  kind: "article",
  slug: "",
  summary: "Why a home of your own",
  body: "Publishing on **your own** domain.",
  themeIds: ["1"],
  coverMediaId: "",
  coverAlt: "",
  pdfMediaId: "",
  publishAt: "",
  parts: [],
  ...over,
});

describe("postInputFor: the editor's buttons without HTTP", () => {
  const now = new Date("2026-03-10T12:00:00Z");
  const tz = "Europe/Berlin";
  const draft: ExistingPost = { status: "draft", published_at: null };
  const scheduled: ExistingPost = { status: "scheduled", published_at: "2026-04-01T08:00:00.000Z" };
  const published: ExistingPost = { status: "published", published_at: "2026-01-05T09:00:00.000Z" };
  const fieldOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof ValidationError, String(err));
      return { field: err.field, message: err.message };
    }
    assert.fail("expected a ValidationError");
  };

  test("a new post saved is a draft; the form's fields become the input", () => {
    const input = postInputFor(
      "save",
      values({ kind: "nonsense", slug: "  my-slug ", themeIds: ["3", "x", "0", "4"], coverMediaId: "7" }),
      undefined,
      now,
      tz,
    );
    assert.equal(input.status, "draft");
    assert.equal(input.publishedAt, undefined);
    assert.equal(input.kind, "article", "an unknown kind falls back to article");
    assert.equal(input.slug, "my-slug");
    assert.deepEqual(input.themeIds, [3, 4]);
    assert.equal(input.coverMediaId, 7);
    assert.equal(input.pdfMediaId, null);
    assert.equal(postInputFor("save", values({ slug: " " }), undefined, now, tz).slug, undefined);
  });

  test("draft → publish: published, at the time of saving (no date given)", () => {
    const input = postInputFor("publish", values(), draft, now, tz);
    assert.equal(input.status, "published");
    assert.equal(input.publishedAt, undefined, "savePost stamps it now (or keeps an earlier date)");
  });

  test("publish with a past date back-dates the post, read in the site's zone", () => {
    const input = postInputFor("publish", values({ publishAt: "2026-02-01T09:30" }), draft, now, tz);
    assert.equal(input.status, "published");
    assert.deepEqual(input.publishedAt, new Date("2026-02-01T08:30:00Z"));
  });

  test("publish with a future date publishes now, not later", () => {
    const input = postInputFor("publish", values({ publishAt: "2026-05-01T09:00" }), draft, now, tz);
    assert.equal(input.status, "published");
    assert.equal(input.publishedAt, undefined);
    // A post scheduled for later and published early is dated now, not at its scheduled time.
    const early = postInputFor("publish", values({ publishAt: "2026-04-01T10:00" }), scheduled, now, tz);
    assert.equal(early.status, "published");
    assert.deepEqual(early.publishedAt, now);
  });

  test("schedule needs a date: the error names publishAt", () => {
    const e = fieldOf(() => postInputFor("schedule", values(), draft, now, tz));
    assert.equal(e?.field, "publishAt");
    assert.match(e?.message ?? "", /^publishAt: choose the date and time to publish/);
    const input = postInputFor("schedule", values({ publishAt: "2026-04-01T10:00" }), draft, now, tz);
    assert.equal(input.status, "scheduled");
    assert.deepEqual(input.publishedAt, new Date("2026-04-01T08:00:00Z"));
  });

  test("a date that is not one is refused, naming publishAt", () => {
    const e = fieldOf(() => postInputFor("publish", values({ publishAt: "next tuesday" }), draft, now, tz));
    assert.equal(e?.field, "publishAt");
    assert.match(e?.message ?? "", /enter a date and time/);
  });

  test("save while scheduled keeps it scheduled, at the date in the form", () => {
    const input = postInputFor("save", values({ publishAt: "2026-04-02T10:00" }), scheduled, now, tz);
    assert.equal(input.status, "scheduled");
    assert.deepEqual(input.publishedAt, new Date("2026-04-02T08:00:00Z"));
    const e = fieldOf(() => postInputFor("save", values(), scheduled, now, tz));
    assert.equal(e?.field, "publishAt", "clearing the date of a scheduled post is an error, not a silent publish");
  });

  test("save keeps a published post published, with its date", () => {
    const input = postInputFor("save", values(), published, now, tz);
    assert.equal(input.status, "published");
    assert.equal(input.publishedAt, undefined, "savePost keeps the stored date");
  });

  test("unpublish makes a draft", () => {
    assert.equal(postInputFor("unpublish", values(), published, now, tz).status, "draft");
    assert.equal(postInputFor("unpublish", values(), scheduled, now, tz).status, "draft");
  });

  test("an unknown button is refused", () => {
    assert.throws(() => postInputFor("delete-everything", values(), published, now, tz), /action: unknown button/);
  });
});

describe("submitPost against a database", () => {
  let ctx: TestContext;
  let themeId: number;
  let editor: Actor;
  let author: Actor;
  beforeEach(async () => {
    ctx = await createTestContext();
    ctx.setNow(new Date("2026-03-10T12:00:00Z"));
    await setTimeZone(ctx, "Europe/Berlin");
    themeId = (await saveTheme(ctx, { name: "Social web" })).id;
    const ed = await createUser(ctx, { email: "ed@example.com", role: "editor", password: TEST_PASSWORD });
    const au = await createUser(ctx, { email: "au@example.com", role: "author", password: TEST_PASSWORD });
    editor = { id: ed.id, role: ed.role };
    author = { id: au.id, role: au.role };
  });
  afterEach(async () => ctx.cleanup());

  const form = (action: string, over: Partial<EditorValues> = {}) => ({
    action,
    values: values({ themeIds: [String(themeId)], ...over }),
  });

  test("save a draft, then publish: editors go on to the email page, authors back to the post", async () => {
    const draft = await submitPost(ctx, author, form("save"));
    assert.ok(draft.ok);
    assert.equal(draft.post.status, "draft");
    assert.equal(draft.notice, "draft");
    assert.equal(draft.redirect, `/admin/posts/${draft.post.id}?msg=draft`);
    assert.equal(draft.post.author_id, author.id);

    const byAuthor = await submitPost(ctx, author, form("publish"), draft.post);
    assert.ok(byAuthor.ok);
    assert.equal(byAuthor.post.status, "published");
    assert.equal(byAuthor.post.published_at, "2026-03-10T12:00:00.000Z");
    assert.equal(byAuthor.redirect, `/admin/posts/${draft.post.id}?msg=published`);

    const again = await submitPost(ctx, editor, form("publish"), byAuthor.post);
    assert.ok(again.ok);
    assert.equal(again.redirect, `/admin/posts/${draft.post.id}/email?msg=published`);
    assert.equal(again.post.published_at, "2026-03-10T12:00:00.000Z", "republishing keeps the date");

    const unpublished = await submitPost(ctx, editor, form("unpublish"), again.post);
    assert.ok(unpublished.ok);
    assert.equal(unpublished.notice, "unpublished");
    assert.equal((await postStore(ctx.db).byId(draft.post.id))?.status, "draft");
    assert.equal((await historyStore(ctx.db).revisions(draft.post.id)).length, 4, "a revision per save");
  });

  test("schedule, then save while scheduled: still scheduled, notice 'saved'", async () => {
    const s = await submitPost(ctx, editor, form("schedule", { publishAt: "2026-04-01T10:00" }));
    assert.ok(s.ok);
    assert.equal(s.notice, "scheduled");
    assert.equal(s.post.published_at, "2026-04-01T08:00:00.000Z");
    const saved = await submitPost(ctx, editor, form("save", { publishAt: "2026-04-02T10:00" }), s.post);
    assert.ok(saved.ok);
    assert.equal(saved.notice, "saved");
    assert.equal(saved.post.status, "scheduled");
    assert.equal(saved.post.published_at, "2026-04-02T08:00:00.000Z");
  });

  test("errors come back with the field, the status and everything typed; nothing is saved", async () => {
    const noDate = await submitPost(ctx, editor, form("schedule", { body: "Kept <b>as typed</b>" }));
    assert.equal(noDate.ok, false);
    assert.ok(!noDate.ok);
    assert.equal(noDate.status, 422);
    assert.match(noDate.errors.publishAt, /choose the date and time to publish/);
    assert.equal(noDate.values.body, "Kept <b>as typed</b>");

    const badSlug = await submitPost(ctx, editor, form("publish", { slug: "Bad Slug!" }));
    assert.ok(!badSlug.ok);
    assert.equal(badSlug.status, 422);
    assert.match(badSlug.errors.slug, /^use lowercase letters/);

    const noTheme = await submitPost(ctx, editor, form("publish", { themeIds: [] }));
    assert.ok(!noTheme.ok);
    assert.match(noTheme.errors.themeIds, /choose at least one theme/);

    const noTitle = await submitPost(ctx, editor, form("save", { title: " " }));
    assert.ok(!noTitle.ok);
    assert.match(noTitle.errors.title, /Title is required/);
    assert.equal(await postStore(ctx.db).count({}), 0);
  });

  test("media: a missing cover is an error by its field; a file that is not an image is refused", async () => {
    const missing = await submitPost(ctx, editor, form("save", { coverMediaId: "999" }));
    assert.ok(!missing.ok);
    assert.equal(missing.status, 422);
    assert.match(missing.errors.coverMediaId, /no longer exists/);

    const notImage = new File([Buffer.from("just text")], "cover.png", { type: "image/png" });
    const refused = await submitPost(ctx, editor, { ...form("save"), coverFile: notImage });
    assert.ok(!refused.ok);
    assert.equal(refused.status, 415);
    assert.ok(refused.errors.coverFile);
    assert.equal(await postStore(ctx.db).count({}), 0);
  });

  test("preview renders the body and saves nothing", async () => {
    const r = await submitPost(ctx, editor, form("preview", { body: "Some *emphasis*" }));
    assert.ok(!r.ok);
    assert.equal(r.status, 200);
    assert.deepEqual(r.errors, {});
    assert.match(r.previewHtml ?? "", /<em>emphasis<\/em>/);
    assert.equal(await postStore(ctx.db).count({}), 0);
  });

  test("an unknown button is an error on the form, not a save", async () => {
    const r = await submitPost(ctx, editor, form("explode"));
    assert.ok(!r.ok);
    assert.equal(r.status, 422);
    assert.match(r.errors.action, /unknown button/);
    assert.equal(await postStore(ctx.db).count({}), 0);
  });

  test("editor parts: a part's error stops the save (400); checked values are stored once the post is", async () => {
    const stored: { postId: number; value: string }[] = [];
    const part: EditorPart<string> = {
      load: async () => undefined,
      fromForm: (field) => ({ extra: field("extra") }),
      check(kind, v, errors) {
        if (kind !== "note") return undefined;
        if (!v?.extra) {
          errors.extra = "Say something extra.";
          return null;
        }
        return v.extra;
      },
      save: async (_ctx, postId, value) => {
        stored.push({ postId, value });
      },
      fieldset: () => {
        throw new Error("not rendered here");
      },
    };
    ctx.host = moduleHost([{ name: "extra", editorParts: async () => [part] }]);

    const refused = await submitPost(ctx, editor, form("save", { kind: "note", parts: [{ extra: "" }] }));
    assert.ok(!refused.ok);
    assert.equal(refused.status, 400);
    assert.equal(refused.errors.extra, "Say something extra.");
    assert.equal(await postStore(ctx.db).count({}), 0);

    const ok = await submitPost(ctx, editor, form("save", { kind: "note", parts: [{ extra: "yes" }] }));
    assert.ok(ok.ok);
    assert.deepEqual(stored, [{ postId: ok.post.id, value: "yes" }]);

    const article = await submitPost(ctx, editor, form("save", { parts: [{ extra: "" }] }));
    assert.ok(article.ok, "the part does not apply to articles");
    assert.equal(stored.length, 1);
  });
});
