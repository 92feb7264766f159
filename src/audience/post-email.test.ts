import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import type { TestContext } from "../lib/testing.ts";
import { closeWithSink, contextWithSink, deliverToSink, messageParts, type SmtpSink } from "../mail/testing.ts";
import { emailHtml } from "./email-html.ts";
import { sendPost } from "./post-send.ts";
import { addSubscriber, createList } from "./service.ts";

test("stored post HTML made ready for email: styles, absolute and tagged links, no srcset; code stays text", () => {
  const html = emailHtml(
    '<p>See <a href="/about">about</a>, <a href="https://other.example/x?a=1&amp;b=2">there</a>.</p>\n' +
      '<p><img src="/media/a.webp" srcset="/media/a-2x.webp 2x" sizes="50vw" alt="A &quot;photo&quot;" loading="lazy"></p>\n' +
      '<pre><code class="language-js">const a = \'&lt;a href="/left-alone"&gt;\';</code></pre>',
    "https://site.example",
  ).toString();
  assert.match(html, /<a style="color:#1a4f8b" href="https:\/\/site\.example\/about\?ref=email">about<\/a>/);
  assert.match(html, /href="https:\/\/other\.example\/x\?a=1&amp;b=2">there<\/a>/, "other sites' links untagged");
  assert.match(html, /<img style="max-width:100%;height:auto;border:0" src="https:\/\/site\.example\/media\/a\.webp"/);
  assert.match(html, /alt="A &quot;photo&quot;"/);
  assert.doesNotMatch(html, /srcset|sizes|loading/);
  assert.match(html, /<pre style="white-space:pre-wrap;[^"]*"><code style="[^"]*" class="language-js">/);
  assert.match(html, /const a = '&lt;a href="\/left-alone"&gt;';<\/code>/, "a URL in a code sample is text");
  // Without a base URL (digest blurbs) links keep their form.
  assert.match(emailHtml('<a href="/x">x</a>').toString(), /^<a style="color:#1a4f8b" href="\/x">x<\/a>$/);
});

let ctx: TestContext;
let sink: SmtpSink;
beforeEach(async () => {
  ({ ctx, sink } = await contextWithSink());
});
afterEach(() => closeWithSink(ctx, sink));

test("an author's {{unsubscribe_url}} and {{name}} in a post are sent as written; the real links are still filled in", async () => {
  await createList(ctx, { slug: "articles", name: "New articles" });
  await addSubscriber(ctx, { email: "a@example.org", list: "articles", confirmed: true, source: "test" });
  await savePost(ctx, systemActor, {
    title: "Templates with {{name}}",
    slug: "templates",
    summary: "Write {{preferences_url}} where it goes.",
    body: "Put `{{unsubscribe_url}}` and {{name}} in your template & {{click_ref}} (1 < 2).",
    status: "published",
    themeIds: [(await saveTheme(ctx, { name: "Craft" })).id],
  });
  await sendPost(ctx, "templates", ["articles"]);
  await deliverToSink(ctx, sink);
  const [mail] = sink.received;
  assert.equal(mail.headers.get("subject"), "Templates with {{name}}");
  const { html, text } = messageParts(mail.raw);
  assert.match(
    html,
    /<p>Put <code style="[^"]*">\{\{unsubscribe_url\}\}<\/code> and \{\{name\}\} in your template &amp; \{\{click_ref\}\} \(1 &lt; 2\)\.<\/p>/,
  );
  assert.match(html, />Templates with \{\{name\}\}<\/a><\/h1>/);
  assert.match(html, />Write \{\{preferences_url\}\} where it goes\.<\/p>/);
  assert.match(text, /Put \{\{unsubscribe_url\}\} and \{\{name\}\} in your template & \{\{click_ref\}\} \(1 < 2\)\./);
  assert.match(text, /^Templates with \{\{name\}\}\n/);
  const unsubscribe = /^<(.+)>$/.exec(mail.headers.get("list-unsubscribe") ?? "")?.[1] ?? "";
  assert.match(unsubscribe, /^http:\/\/127\.0\.0\.1:4321\/unsubscribe\/\S+$/);
  assert.ok(html.includes(`<a href="${unsubscribe}" style="color:#1a4f8b">Unsubscribe in one click</a>`));
  assert.ok(text.includes(`Unsubscribe: ${unsubscribe}\nPreferences: http://127.0.0.1:4321/preferences/`));
});
