/**
 * `parse`: a generated 1,000-item RSS 2.0 file and a 1,000-entry Atom file (~2 KB of HTML
 * content per item) through Liner's feed parsing, against raw feedsmith on the same input in the
 * same run: in-process (`parseFeed` vs feedsmith's `parseFeed` on the decoded string), and end to
 * end as processes (`liner feed parse FILE --json` vs a `node` script running feedsmith and
 * printing its JSON). Median of `runs` after two warm-ups, each in-process call on a freshly
 * collected heap. Target: ≤ 2× raw feedsmith.
 */
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { parseFeed as rawParse } from "feedsmith";
import sanitizeHtmlLib from "sanitize-html";
import { parseFeed } from "../src/reader/feed/parse.ts";
import { sanitizeHtml } from "../src/reader/sanitize.ts";
import { linerBin, linerEnv } from "./lib/liner.ts";
import { makeWorkDir, spawnTracked } from "./lib/proc.ts";
import {
  consoleTable,
  fmt,
  fmtMs,
  machineLine,
  markdownTable,
  median,
  stamp,
  type Target,
  targetLines,
  writeSection,
} from "./lib/report.ts";

const ITEMS = 1000;

/** The installed feedsmith's version, recorded with the figures. */
function feedsmithVersion(): string {
  const pkg = path.join(linerBin().cwd, "node_modules", "feedsmith", "package.json");
  return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version;
}

/** ~2 KB of typical blog-post HTML: headings, paragraphs with links (some with utm_*), a figure, a list. */
function articleHtml(i: number): string {
  const para = (n: number) =>
    `<p>Paragraph ${n} of post ${i}, with <a href="https://example.org/articles/${i}-${n}?utm_source=feed&amp;ref=${n}">a link</a>, ` +
    `some <em>emphasis</em>, <strong>strong words</strong> and <code>inline_code(${n})</code>. Lorem ipsum dolor sit amet, ` +
    "consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore.</p>";
  return (
    `<h2>Section ${i}</h2>\n${[1, 2, 3, 4, 5].map(para).join("\n")}\n` +
    `<figure><img src="/images/${i}.jpg" alt="Figure ${i}" width="800" height="450"><figcaption>Figure ${i}</figcaption></figure>\n` +
    `<ul><li>First point</li><li>Second point with <a href="/related/${i}">a relative link</a></li></ul>\n` +
    "<blockquote><p>A quotation, as posts often have.</p></blockquote>"
  );
}

function date(i: number): Date {
  return new Date(Date.UTC(2024, 0, 1) + i * 3_600_000);
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function rss(): string {
  const items = Array.from({ length: ITEMS }, (_, i) =>
    [
      "<item>",
      `<title>Post number ${i} &amp; its title</title>`,
      `<link>https://example.com/posts/${i}</link>`,
      `<guid isPermaLink="true">https://example.com/posts/${i}</guid>`,
      `<pubDate>${date(i).toUTCString()}</pubDate>`,
      `<dc:creator>Author ${i % 7}</dc:creator>`,
      `<category>topic-${i % 13}</category><category>general</category>`,
      `<description>A short summary of post ${i}, in plain text, as most feeds give one.</description>`,
      `<content:encoded><![CDATA[${articleHtml(i)}]]></content:encoded>`,
      "</item>",
    ].join("\n"),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Generated RSS</title>
<link>https://example.com/</link>
<description>1,000 generated items</description>
<language>en</language>
${items.join("\n")}
</channel>
</rss>
`;
}

function atom(): string {
  const entries = Array.from({ length: ITEMS }, (_, i) =>
    [
      "<entry>",
      `<title type="html">Post number ${i} &amp;amp; its &lt;em&gt;title&lt;/em&gt;</title>`,
      `<id>tag:example.com,2024:post-${i}</id>`,
      `<link rel="alternate" type="text/html" href="/posts/${i}"/>`,
      `<published>${date(i).toISOString()}</published><updated>${date(i + 1).toISOString()}</updated>`,
      `<author><name>Author ${i % 7}</name><uri>https://example.com/authors/${i % 7}</uri></author>`,
      `<category term="topic-${i % 13}"/>`,
      `<summary>A short summary of post ${i}, in plain text, as most feeds give one.</summary>`,
      `<content type="html">${xmlEscape(articleHtml(i))}</content>`,
      "</entry>",
    ].join("\n"),
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.com/">
<title>Generated Atom</title>
<id>tag:example.com,2024:feed</id>
<link rel="alternate" href="/"/>
<updated>${date(ITEMS).toISOString()}</updated>
${entries.join("\n")}
</feed>
`;
}

// A full GC before each timed call, so neither side pays for the other's garbage.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

/** sanitize-html set up like our allowlist, for the record of why the sanitizer is our own. */
const libOptions: sanitizeHtmlLib.IOptions = {
  allowedTags: [...sanitizeHtmlLib.defaults.allowedTags, "img", "figure", "figcaption", "picture", "source", "iframe"],
  allowedAttributes: { a: ["href", "title", "rel"], img: ["src", "srcset", "alt", "title", "width", "height"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https", "data"] },
  allowedIframeHostnames: ["www.youtube.com", "www.youtube-nocookie.com", "player.vimeo.com"],
  transformTags: {
    a: sanitizeHtmlLib.simpleTransform("a", { rel: "noopener noreferrer" }),
    img: sanitizeHtmlLib.simpleTransform("img", { loading: "lazy" }),
  },
};

/**
 * CPU milliseconds (user + system, all threads) of one synchronous call, started on a collected
 * heap. CPU time rather than wall time: on a shared machine the wall time of a 100 ms call
 * mostly measures the scheduler.
 */
function time(fn: () => unknown): number {
  gc();
  const t = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

/** Wall time of a child process from spawn to exit (stdout read and discarded); throws on failure. */
async function timeProcess(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const started = performance.now();
  const child = spawnTracked(process.execPath, args, { env, cwd });
  let bytes = 0;
  let err = "";
  child.stdout!.on("data", (d: Buffer) => {
    bytes += d.length;
  });
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const [code] = (await once(child, "exit")) as [number | null];
  const ms = performance.now() - started;
  if (code !== 0 || bytes === 0) throw new Error(`${args.join(" ")} failed (exit ${code}):\n${err.slice(-2000)}`);
  return ms;
}

export async function benchParse(o: { record: boolean; runs: number }): Promise<void> {
  const work = makeWorkDir("parse");
  const files = { rss: path.join(work, "rss.xml"), atom: path.join(work, "atom.xml") };
  fs.writeFileSync(files.rss, rss());
  fs.writeFileSync(files.atom, atom());
  const sizes = { rss: fs.statSync(files.rss).size, atom: fs.statSync(files.atom).size };
  console.log(`parse: RSS ${fmt(sizes.rss / 1024)} KiB, Atom ${fmt(sizes.atom / 1024)} KiB, ${fmt(ITEMS)} items each`);

  // The raw peer as a process: read, decode, feedsmith, print JSON (what `liner feed parse` does minus ours).
  const rawScript = path.join(work, "raw-feedsmith.mjs");
  fs.writeFileSync(
    rawScript,
    'import fs from "node:fs";\nimport { parseFeed } from "feedsmith";\n' +
      "process.stdout.write(JSON.stringify(parseFeed(new TextDecoder().decode(fs.readFileSync(process.argv[2])))) + '\\n');\n",
  );
  const { bin, cwd } = linerBin();
  const env = linerEnv({ dataDir: path.join(work, "data") });

  const samples: Record<string, { rss: number[]; atom: number[] }> = {
    raw: { rss: [], atom: [] },
    ours: { rss: [], atom: [] },
    rawProc: { rss: [], atom: [] },
    cli: { rss: [], atom: [] },
  };
  for (const kind of ["rss", "atom"] as const) {
    const bytes = fs.readFileSync(files[kind]);
    const text = new TextDecoder().decode(bytes);
    const ours = parseFeed(bytes, { url: "https://example.com/feed" });
    if (ours.items.length !== ITEMS) throw new Error(`${kind}: parsed ${ours.items.length} items, expected ${ITEMS}`);
    // Warm-up (JIT) twice each, then alternate so machine noise hits both sides alike.
    for (let w = 0; w < 2; w++) {
      rawParse(text);
      parseFeed(bytes, { url: "https://example.com/feed" });
    }
    for (let r = 0; r < o.runs; r++) {
      samples.raw[kind].push(time(() => rawParse(text)));
      samples.ours[kind].push(time(() => parseFeed(bytes, { url: "https://example.com/feed" })));
    }
    for (let r = 0; r < o.runs; r++) {
      samples.rawProc[kind].push(await timeProcess([rawScript, files[kind]], env, cwd));
      samples.cli[kind].push(await timeProcess([bin, "feed", "parse", files[kind], "--json"], env, cwd));
    }
  }
  // The sanitizer alone on the RSS file's 1,000 contents, against sanitize-html.
  const rssFeed = rawParse(new TextDecoder().decode(fs.readFileSync(files.rss)));
  const contents = rssFeed.format === "rss" ? (rssFeed.feed.items ?? []).map((i) => i.content?.encoded ?? "") : [];
  const sanitizeMs = { ours: [] as number[], lib: [] as number[] };
  for (let r = 0; r < o.runs; r++) {
    sanitizeMs.ours.push(time(() => contents.map((c) => sanitizeHtml(c, "https://example.com/posts/1"))));
    sanitizeMs.lib.push(time(() => contents.map((c) => sanitizeHtmlLib(c, libOptions))));
  }
  const sanitizeLine = `Sanitizing the RSS file's ${fmt(contents.length)} contents alone (CPU, median): Liner's sanitizer ${fmtMs(
    median(sanitizeMs.ours),
  )}, sanitize-html with a similar allowlist ${fmtMs(median(sanitizeMs.lib))} (${fmt(
    median(sanitizeMs.lib) / median(sanitizeMs.ours),
    1,
  )}× slower).`;

  const med = (k: string, kind: "rss" | "atom") => median(samples[k][kind]);
  const ratio = (k: string, peer: string) =>
    `${fmt(med(k, "rss") / med(peer, "rss"), 2)}× / ${fmt(med(k, "atom") / med(peer, "atom"), 2)}×`;
  const header = ["tool", "RSS", "Atom", "ratio vs raw (RSS / Atom)"];
  const rows = [
    ["feedsmith parseFeed (raw, in-process, CPU)", fmtMs(med("raw", "rss")), fmtMs(med("raw", "atom")), "1.00×"],
    ["liner parseFeed (in-process, CPU)", fmtMs(med("ours", "rss")), fmtMs(med("ours", "atom")), ratio("ours", "raw")],
    [
      "node + feedsmith + JSON (raw, process, wall)",
      fmtMs(med("rawProc", "rss")),
      fmtMs(med("rawProc", "atom")),
      "1.00×",
    ],
    [
      "liner feed parse FILE --json (process, wall)",
      fmtMs(med("cli", "rss")),
      fmtMs(med("cli", "atom")),
      ratio("cli", "rawProc"),
    ],
  ];
  const worst = Math.max(med("ours", "rss") / med("raw", "rss"), med("ours", "atom") / med("raw", "atom"));
  const worstCli = Math.max(med("cli", "rss") / med("rawProc", "rss"), med("cli", "atom") / med("rawProc", "atom"));
  const targets: Target[] = [
    {
      label: "normalization + sanitizing ≤ 2× raw feedsmith (in-process)",
      met: worst <= 2,
      actual: `${fmt(worst, 2)}×`,
    },
    { label: "`liner feed parse` ≤ 2× a raw feedsmith process", met: worstCli <= 2, actual: `${fmt(worstCli, 2)}×` },
  ];
  console.log(`\n${consoleTable(header, rows)}\n`);
  console.log(`${sanitizeLine}\n`);
  for (const l of targetLines(targets)) console.log(l);
  if (!o.record) return;
  writeSection(
    "parse",
    `## parse

${stamp()} · ${machineLine([`feedsmith ${feedsmithVersion()}`])}

A generated RSS 2.0 file (${fmt(sizes.rss / 1024)} KiB) and Atom 1.0 file (${fmt(sizes.atom / 1024)} KiB), ${fmt(ITEMS)} items
each with ~2 KB of HTML content (links with utm_* parameters, relative URLs, a figure); median of ${o.runs} runs after
two warm-ups. In-process: Liner's \`parseFeed\` on the bytes (decoding, structure check, feedsmith, mapping, dates, URL
resolution, sanitizing every summary and content) against feedsmith's \`parseFeed\` on the decoded string, as CPU time
of the call on a freshly collected heap. Processes: \`liner feed parse FILE --json\` against \`node\` running feedsmith
and printing its JSON, wall time from spawn to exit.

${markdownTable(header, rows)}

${sanitizeLine}

${targetLines(targets).join("\n")}`,
  );
}
