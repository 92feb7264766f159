/**
 * Test support for the export: a site with something in every part (posts, a PDF upload, a
 * followed source in a folder, a save with a two-hop credit chain, a list with a confirmed
 * subscriber, an event with a registrant, an inquiry, a digest), and reading a .tar.gz back.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { extract } from "tar-stream";
import { addSubscriber, createList } from "../audience/testing.ts";
import { savePost, saveTheme, saveUpload, systemActor } from "../content/testing.ts";
import { draftDigest } from "../digest/testing.ts";
import { parseEventFields, saveEventDetails } from "../events/testing.ts";
import type { AppContext } from "../lib/context.ts";
import { addFolder, addSource, createSave } from "../reader/testing.ts";

/** A minimal PDF (the upload check reads only its signature). */
export const PDF_BYTES = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

/** Fill a site with one or more of everything the export writes. */
export async function seedSite(ctx: AppContext): Promise<{ eventSlug: string; pdfFile: string }> {
  // A few posts of the kinds that matter here rather than seedDemo: its slide deck loads Marp (~1 s).
  const themeId = (await saveTheme(ctx, { name: "Workshops", description: "Hands-on sessions." })).id;
  const post = (kind: "article" | "note" | "page", title: string, status: "published" | "draft", body: string) =>
    savePost(ctx, systemActor, { kind, title, summary: "", body, themeIds: kind === "page" ? [] : [themeId], status });
  await post("article", "Small wins on the social web", "published", "A *first* post.\n\n![A chart](/media/x.webp)");
  await post("note", "An idea for later", "draft", "Not yet.");
  await post("page", "About", "published", "Who I am.");
  const pdf = await saveUpload(ctx, new File([PDF_BYTES], "Talk slides.pdf"), null);
  const folder = await addFolder(ctx, "Friends");
  await addSource(ctx, { title: "Bob's Blog", folderId: folder, feedUrl: "https://bob.example/feed.xml" });
  await createSave(
    ctx,
    systemActor,
    {
      url: "https://article.example/story",
      title: "A story worth reading",
      blurb: "Why it *matters*.",
      credits: [
        { name: "Bob", url: "https://bob.example/" },
        { name: "Carol's Podcast", url: "https://carol.example/pod" },
      ],
    },
    { fetch: false },
  );
  await createList(ctx, { name: "Field notes", promise: "One email a week, no tracking." });
  await addSubscriber(ctx, { email: "=ann@example.com", list: "field-notes", confirmed: true, source: "form" });
  const event = await savePost(ctx, systemActor, {
    kind: "event",
    title: "Owning your audience",
    summary: "A workshop",
    body: "Bring a laptop.",
    themeIds: [themeId],
    status: "published",
  });
  await saveEventDetails(
    ctx,
    event.id,
    parseEventFields({
      eventStart: "2030-05-12T18:00",
      eventEnd: "2030-05-12T19:30",
      eventTimeZone: "Europe/Berlin",
      eventVenue: "Kulturhaus, Berlin",
      eventOnlineUrl: "",
      eventCapacity: "",
      eventQuestion: "",
    }),
  );
  const at = ctx.now().toISOString();
  await ctx.db.kysely
    .insertInto("registrations")
    .values({
      event_id: event.id,
      email: "guest@example.com",
      name: "Guest",
      answer: "",
      status: "registered",
      source_page: "/posts/owning-your-audience",
      created_at: at,
      promoted_at: null,
      cancelled_at: null,
      reminded_at: null,
    })
    .execute();
  await ctx.db.kysely
    .insertInto("inquiries")
    .values({
      name: "Dana",
      email: "dana@example.com",
      topic: "Workshop",
      message: "Could you run it for our team?",
      source_page: "/work-with-me",
      referrer: "",
      status: "new",
      created_at: at,
    })
    .execute();
  const commented = await ctx.db.kysely
    .selectFrom("posts")
    .select("id")
    .where("slug", "=", "owning-your-audience")
    .executeTakeFirstOrThrow();
  await ctx.db.kysely
    .insertInto("conversation_items")
    .values({
      post_id: commented.id,
      parent_id: null,
      kind: "comment",
      via: "site",
      status: "approved",
      author_name: "Cora",
      author_key: "email:cora@example.com",
      author_email: "cora@example.com",
      text: "This changed how I write.",
      confirmed_at: null,
      published_at: at,
      received_at: at,
      updated_at: at,
    })
    .execute();
  await draftDigest(ctx, { title: "Week one", since: new Date(Date.parse(at) - 86_400_000) });
  return { eventSlug: event.slug, pdfFile: JSON.parse(pdf.variants)[0].file };
}

/** The files of a .tar.gz, by name. */
export async function untar(bytes: Uint8Array): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const ex = extract();
  ex.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c) => chunks.push(c as Buffer));
    stream.on("end", () => {
      files.set(header.name, Buffer.concat(chunks));
      next();
    });
  });
  await pipeline(Readable.from([Buffer.from(bytes)]), createGunzip(), ex);
  return files;
}
