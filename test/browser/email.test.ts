/**
 * The new-post email in Chromium: a post with an image, headings, code, a long URL and a quote is
 * sent through the outbox to a real SMTP sink; the HTML part of the received message is loaded at
 * phone and desktop widths, in light and dark mode, screenshotted (PNG files in a temp folder,
 * named in the test output), and checked: no sideways scrolling, images absolute and fitting,
 * body text at WCAG AA contrast, links tagged ref=email, "view in browser", unsubscribe and
 * preferences links.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { addSubscriber, createList, sendPost } from "../../src/audience/testing.ts";
import { createUser } from "../../src/auth/testing.ts";
import { mediaUrl, pickVariant, savePost, saveTheme, saveUpload } from "../../src/content/testing.ts";
import { createMailer, deliverDue, type Received, type SmtpSink, smtpSink } from "../../src/mail/testing.ts";
import { launchBrowser, type Site, startSite } from "./harness.ts";

let site: Site;
let sink: SmtpSink;
let browser: Browser;
let mail: Received;
let html: string;
const shots = fs.mkdtempSync(path.join(os.tmpdir(), "liner-email-shots-"));
const LONG_URL = `https://example.org/a/very/long/path/${"segment-".repeat(20)}end?query=${"x".repeat(60)}`;

/** The decoded body of the first `text/html` part of a raw MIME message (quoted-printable or base64). */
function htmlPart(raw: string): string {
  const split = (block: string) => {
    const i = block.search(/\r?\n\r?\n/);
    const head = block.slice(0, i).replace(/\r?\n[ \t]+/g, " ");
    return { head, body: block.slice(i).replace(/^\r?\n\r?\n/, "") };
  };
  const walk = (block: string): string | undefined => {
    const { head, body } = split(block);
    const type = /^content-type:\s*([^;\r\n]+)(.*)$/im.exec(head);
    const boundary = type && /boundary="?([^";\r\n]+)"?/i.exec(type[2])?.[1];
    if (type?.[1].toLowerCase().startsWith("multipart/") && boundary) {
      for (const part of body.split(`--${boundary}`).slice(1)) {
        if (part.startsWith("--")) break;
        const found = walk(part.replace(/^\r?\n/, ""));
        if (found) return found;
      }
      return undefined;
    }
    if (type?.[1].toLowerCase() !== "text/html") return undefined;
    const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(head)?.[1].toLowerCase();
    if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    if (encoding === "quoted-printable") {
      const bytes = body
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-Fa-f]{2})/g, (_m, x: string) => String.fromCharCode(Number.parseInt(x, 16)));
      return Buffer.from(bytes, "latin1").toString("utf8");
    }
    return body;
  };
  const found = walk(raw);
  assert.ok(found, "the message has a text/html part");
  return found;
}

before(async () => {
  site = await startSite();
  sink = await smtpSink();
  const ctx = site.ctx;
  ctx.config.mail = { ...ctx.config.mail, smtpUrl: sink.url, from: "Ann <ann@example.com>" };
  const owner = await createUser(ctx, { email: "owner@example.com", role: "owner", password: "correct horse battery" });
  const theme = await saveTheme(ctx, { name: "Writing", description: "On writing." });
  // A photo far wider than a phone: it must be scaled down, not scroll sideways.
  const png = await sharp({ create: { width: 1600, height: 900, channels: 3, background: "#3a7ca5" } })
    .png()
    .toBuffer();
  const media = await saveUpload(ctx, new File([new Uint8Array(png)], "wide.png", { type: "image/png" }), owner.id);
  await savePost(
    ctx,
    { id: owner.id, role: "owner" },
    { title: "Field notes", slug: "other", body: "Another post.", status: "published", themeIds: [theme.id] },
  );
  const body = `Intro paragraph with a [link to another post](/posts/other) and [an external one](https://example.org/page).

![A wide photo](${mediaUrl(pickVariant(media, 1600)?.file ?? "missing")})

## A heading

### A smaller heading

\`\`\`js
const aVeryLongLineOfCode = someFunction(withArguments, andMoreArguments, "and a long string that goes on and on and on");
const sample = '<a href="/left-alone">';
\`\`\`

A long URL: ${LONG_URL}

> A quoted passage from someone worth quoting, with a [source](https://example.net/source).

The end, with \`inline code\`.`;
  await savePost(
    ctx,
    { id: owner.id, role: "owner" },
    {
      title: "How we write liner notes",
      slug: "liner",
      summary: "A short summary.",
      body,
      status: "published",
      themeIds: [theme.id],
      coverMediaId: media.id,
    },
  );
  await createList(ctx, { slug: "articles", name: "New articles", promise: "New articles." });
  await addSubscriber(ctx, { email: "reader@example.net", list: "articles", confirmed: true, source: "test" });
  await sendPost(ctx, "liner", ["articles"]);
  const mailer = createMailer({ ...ctx.config.mail, smtpUrl: sink.url });
  try {
    await deliverDue(ctx, mailer, { ratePerSecond: 1000 });
  } finally {
    mailer.close();
  }
  const received = sink.received.find((m) => m.to.includes("reader@example.net"));
  assert.ok(received, "the subscriber got the email");
  mail = received;
  html = htmlPart(mail.raw);
  fs.writeFileSync(path.join(shots, "email.html"), html);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sink?.close();
  await site?.close();
});

/** WCAG contrast of every text element against its effective background (computed in the page). */
function contrasts(page: Page) {
  return page.evaluate(() => {
    const rgba = (s: string) => {
      const m = s.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
      return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 };
    };
    const lum = (c: { r: number; g: number; b: number }) => {
      const f = (v: number) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
    };
    const dark = matchMedia("(prefers-color-scheme: dark)").matches;
    const canvas = dark ? { r: 18, g: 18, b: 18 } : { r: 255, g: 255, b: 255 };
    const background = (el: Element | null): { r: number; g: number; b: number } => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c.a > 0.5) return c;
      }
      return canvas;
    };
    const out: { tag: string; text: string; ratio: number }[] = [];
    for (const el of document.querySelectorAll(
      "body p, body li, body h1, body h2, body h3, body a, body blockquote, body pre, body code",
    )) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim());
      if (!own) continue;
      const fg = rgba(getComputedStyle(el).color);
      const [l1, l2] = [lum(fg), lum(background(el))].sort((a, b) => b - a);
      out.push({
        tag: el.tagName.toLowerCase(),
        text: (el.textContent ?? "").trim().slice(0, 40),
        ratio: (l1 + 0.05) / (l2 + 0.05),
      });
    }
    return out;
  });
}

for (const width of [375, 800]) {
  for (const scheme of ["light", "dark"] as const) {
    test(`the new-post email at ${width} px in ${scheme} mode: fits, readable, images fit`, async (t) => {
      const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: "load" });
      const file = path.join(shots, `email-${width}-${scheme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      t.diagnostic(`screenshot: ${file}`);

      const size = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
      }));
      assert.ok(size.scroll <= size.viewport, `no horizontal overflow: scrollWidth ${size.scroll} > ${size.viewport}`);

      const images = await page.$$eval("img", (imgs) =>
        imgs.map((i) => ({
          src: i.getAttribute("src") ?? "",
          loaded: i.complete && i.naturalWidth > 0,
          natural: i.naturalWidth,
          right: i.getBoundingClientRect().right,
          width: i.getBoundingClientRect().width,
          height: i.getBoundingClientRect().height,
          maxWidth: getComputedStyle(i).maxWidth,
        })),
      );
      assert.ok(images.length >= 2, "the cover and the post's image are in the email");
      for (const img of images) {
        assert.match(img.src, new RegExp(`^${site.url}/media/`), "absolute image URL on the site");
        assert.ok(img.loaded, `the image loads from ${img.src}`);
        assert.notEqual(img.maxWidth, "none", "images carry a max-width");
        assert.ok(img.right <= width, `the image fits: right edge ${img.right} > ${width}`);
        assert.ok(Math.abs(img.height / img.width - 900 / 1600) < 0.02, "the image keeps its aspect ratio");
      }

      const low = (await contrasts(page)).filter((c) => c.ratio < 4.5);
      assert.deepEqual(low, [], `text below 4.5:1 in ${scheme} mode`);
      await context.close();
    });
  }
}

test("the email's links: counted redirects to ref=email on our own, view in browser, unsubscribe and preferences", async () => {
  const page = await browser.newPage();
  await page.setContent(html, { waitUntil: "load" });
  const origin = new URL(site.url).origin;
  // Web links go through the send's click redirect (/e/:token); HEAD shows where each leads
  // without counting a click.
  const leadsTo = async (href: string) =>
    href.startsWith(`${origin}/e/`)
      ? ((await fetch(href, { method: "HEAD", redirect: "manual" })).headers.get("location") ?? "")
      : href;
  const inPage = await page.$$eval("a[href]", (as) =>
    as.map((a) => ({ text: (a.textContent ?? "").trim(), href: a.getAttribute("href") ?? "" })),
  );
  assert.ok(
    inPage.some((l) => l.href.startsWith(`${origin}/e/`)),
    "links are counted",
  );
  const links = await Promise.all(inPage.map(async (l) => ({ ...l, href: await leadsTo(l.href) })));
  const postUrl = `${site.url}/posts/liner?ref=email`;
  const view = links.find((l) => /view in your browser/i.test(l.text));
  assert.equal(view?.href, postUrl, "view in browser opens the post, tagged");
  const unsubscribe = links.find((l) => /unsubscribe/i.test(l.text));
  assert.equal(`<${unsubscribe?.href}>`, mail.headers.get("list-unsubscribe"), "the same link as List-Unsubscribe");
  const preferences = links.find((l) => /preferences/i.test(l.text));
  assert.ok(preferences, "a preferences link is there");
  assert.match(preferences.href, new RegExp(`^${origin}/preferences/`));
  assert.doesNotMatch(html, /\{\{[a-z_]+\}\}/, "every placeholder was filled in");
  const code = await page.locator("pre").innerText();
  assert.match(code, /'<a href="\/left-alone">'/, "URLs in code samples are text, not rewritten");
  const own = links.filter((l) => l.href.startsWith(origin) && l !== unsubscribe && l !== preferences);
  assert.ok(
    own.some((l) => l.href === `${site.url}/posts/other?ref=email`),
    "a link in the body is tagged",
  );
  for (const l of own) assert.equal(new URL(l.href).searchParams.get("ref"), "email", `${l.href} carries ref=email`);
  const external = links.filter((l) => !l.href.startsWith(origin));
  assert.ok(
    external.some((l) => l.href === "https://example.org/page"),
    "other sites' links are left alone",
  );
  for (const l of external) assert.equal(new URL(l.href).searchParams.get("ref"), null, `${l.href} is not tagged`);

  // The links work: the post opens, and unsubscribe shows its confirmation page.
  const res = await fetch(postUrl);
  assert.equal(res.status, 200);
  const unsub = await fetch(unsubscribe?.href ?? "");
  assert.match(await unsub.text(), /Stop sending/);
  await page.close();
});
