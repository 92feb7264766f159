import { renderMarkdown } from "../../src/content/index.ts";
/**
 * Synthetic, deterministic content for benchmarks. One Markdown template per size is rendered
 * once with the real renderer (`renderMarkdown`); each post then fills the template's word slots
 * with words drawn from a Zipf-distributed vocabulary, so generating 100,000 posts costs string
 * joins, not 100,000 Markdown renders. The same words land in body_md, body_html and body_text.
 */

/** Deterministic PRNG (mulberry32), so every run generates the same corpus. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Real words sprinkled through the ranks keep queries readable ("sqlite cache"); the rest are
// pronounceable made-up words. None is an English stop word, so both databases index all of them.
const realWords = (
  "database search server cache query index markdown theme article slide deck browser network " +
  "protocol session token editor publish draft feed archive author reader garden compost river " +
  "mountain bicycle kitchen recipe coffee harbour lantern violin orchard meadow glacier canyon " +
  "typescript javascript sqlite postgres kernel compiler parser lexer runtime memory thread " +
  "latency throughput benchmark profile release version package module library framework " +
  "design pattern interface schema migration backup restore deploy container cluster replica " +
  "photograph camera lens portrait landscape journal notebook pencil ink paper letter stamp"
).split(" ");
const onsets = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "st"];
const vowels = ["a", "e", "i", "o", "u", "ai", "ou"];
const codas = ["", "", "", "n", "r", "l", "s", "m", "x"];

export interface Vocabulary {
  words: string[];
  /** Draw a word index by Zipf rank (0 is the most common). */
  draw(rand: () => number): number;
}

/** A vocabulary of `size` distinct words with Zipf-Mandelbrot frequencies. */
export function makeVocabulary(size = 40_000, seed = 7): Vocabulary {
  const rand = rng(seed);
  const seen = new Set<string>();
  const made: string[] = [];
  while (made.length < size) {
    const x = rand();
    const syllables = x < 0.2 ? 1 : x < 0.75 ? 2 : 3;
    let w = "";
    for (let s = 0; s < syllables; s++) {
      w += onsets[Math.floor(rand() * onsets.length)] + vowels[Math.floor(rand() * vowels.length)];
    }
    // One-syllable words always get a final consonant, so no word is shorter than three letters.
    w +=
      syllables === 1 ? codas[3 + Math.floor(rand() * (codas.length - 3))] : codas[Math.floor(rand() * codas.length)];
    if (!seen.has(w)) {
      seen.add(w);
      made.push(w);
    }
  }
  // Frequent words are short in real languages too.
  made.sort((a, b) => a.length - b.length);
  // Place real words at spread-out ranks: some common, some mid, some rare.
  realWords.forEach((rw, i) => {
    const rank = Math.floor((i / realWords.length) ** 3 * size * 0.9) + i;
    made.splice(rank, 0, rw);
  });
  const words = made.slice(0, size);
  const cumulative = new Float64Array(size);
  let sum = 0;
  for (let r = 0; r < size; r++) {
    sum += 1 / (r + 8) ** 1.05;
    cumulative[r] = sum;
  }
  return {
    words,
    draw(rand) {
      const x = rand() * sum;
      let lo = 0;
      let hi = size - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  };
}

const SLOT = "qzqv";
const CAP = "Qzqv";

/** A rendered template, split at its word slots. */
export interface Template {
  md: Slotted;
  html: Slotted;
  text: Slotted;
  slots: number;
  wordCount: number;
}

interface Slotted {
  parts: string[];
  capital: boolean[];
}

function split(s: string): Slotted {
  const pieces = s.split(/(qzqv|Qzqv)/);
  const parts: string[] = [];
  const capital: boolean[] = [];
  for (let i = 0; i < pieces.length; i++) {
    if (i % 2 === 0) parts.push(pieces[i]);
    else capital.push(pieces[i] === CAP);
  }
  return { parts, capital };
}

function sentence(rand: () => number, min: number, max: number): string {
  const n = min + Math.floor(rand() * (max - min + 1));
  const w = [CAP];
  for (let i = 1; i < n; i++) w.push(i === 2 && rand() < 0.3 ? `*${SLOT}*` : SLOT);
  return `${w.join(" ")}${rand() < 0.15 ? "," : "."}`;
}

function paragraph(rand: () => number, words: number): string {
  const out: string[] = [];
  let n = 0;
  while (n < words) {
    const s = sentence(rand, 8, 18);
    n += s.split(" ").length;
    out.push(s);
  }
  return out.join(" ");
}

/**
 * Markdown with about `words` word slots and the structure of a real article: headings,
 * paragraphs, a list, a quote, a link, a code block.
 */
export function makeTemplate(words: number, seed = 11): Template {
  const rand = rng(seed);
  const blocks: string[] = [paragraph(rand, 70)];
  let n = 70;
  let section = 0;
  while (n < words - 20) {
    blocks.push(`## ${CAP} ${SLOT} ${SLOT}`);
    n += 3;
    const kind = section % 4;
    if (kind === 1) {
      const items = [1, 2, 3, 4].map(() => `- ${sentence(rand, 5, 10)}`);
      blocks.push(items.join("\n"));
      n += 30;
    } else if (kind === 2) {
      blocks.push(`> ${paragraph(rand, 30)}`);
      blocks.push("```ts\nconst page = await cache.get(key);\nif (page) return page.body;\n```");
      n += 30;
    } else if (kind === 3) {
      blocks.push(`See [${SLOT} ${SLOT}](https://example.com/notes/${section}) and **${SLOT} ${SLOT}** for more.`);
      n += 7;
    }
    blocks.push(paragraph(rand, 90));
    blocks.push(paragraph(rand, 60));
    n += 150;
    section++;
  }
  const md = blocks.join("\n\n");
  const r = renderMarkdown(md);
  const t: Template = { md: split(md), html: split(r.html), text: split(r.text), slots: 0, wordCount: r.wordCount };
  t.slots = t.md.capital.length;
  if (t.html.capital.length !== t.slots || t.text.capital.length !== t.slots) {
    throw new Error(
      `template slots differ: md ${t.slots}, html ${t.html.capital.length}, text ${t.text.capital.length}`,
    );
  }
  return t;
}

function capitalize(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

function fill(s: Slotted, words: string[]): string {
  let out = s.parts[0];
  for (let i = 0; i < s.capital.length; i++) {
    out += (s.capital[i] ? capitalize(words[i]) : words[i]) + s.parts[i + 1];
  }
  return out;
}

/** One generated post: everything the posts table and a front-matter file need. */
export interface GeneratedPost {
  title: string;
  slug: string;
  summary: string;
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  wordCount: number;
  publishedAt: string;
  /** Indexes into `themeNames`. */
  themes: number[];
}

/** Theme names; posts carry 1-3 of them (as tags in Markdown files). */
export const themeNames = [
  "Databases",
  "Web Performance",
  "Typescript",
  "Gardening",
  "Photography",
  "Cycling",
  "Cooking",
  "Music",
  "Travel",
  "Writing",
  "Open Source",
  "Teaching",
];

/** Generates posts `i = 0..n-1` deterministically from a template and a vocabulary. */
export function postGenerator(template: Template, vocab: Vocabulary, seed = 1) {
  const end = Date.UTC(2025, 0, 1);
  const span = 8 * 365 * 24 * 3600 * 1000;
  return (i: number): GeneratedPost => {
    const rand = rng(seed * 1_000_003 + i);
    const pick = () => vocab.words[vocab.draw(rand)];
    const words = new Array<string>(template.slots);
    for (let k = 0; k < words.length; k++) words[k] = pick();
    const titleWords = Array.from({ length: 3 + Math.floor(rand() * 4) }, pick);
    const title = capitalize(titleWords.join(" "));
    const summary = `${capitalize(Array.from({ length: 18 }, pick).join(" "))}.`;
    const themeCount = 1 + Math.floor(rand() * 3);
    const themes = new Set<number>();
    while (themes.size < themeCount) themes.add(Math.floor(rand() * themeNames.length));
    return {
      title,
      slug: `${titleWords.slice(0, 4).join("-")}-${i + 1}`,
      summary,
      bodyMd: fill(template.md, words),
      bodyHtml: fill(template.html, words),
      bodyText: fill(template.text, words),
      wordCount: template.wordCount,
      publishedAt: new Date(end - Math.floor(rand() * span)).toISOString(),
      themes: [...themes],
    };
  };
}
