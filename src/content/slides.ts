/**
 * Presentations: Marp Markdown (`---` between slides) rendered at save time to a deck of
 * <section> slides plus the CSS Marp generates for them. Pure.
 */
import { createRequire } from "node:module";
import type { Marp as MarpClass } from "@marp-team/marp-core";
import sanitizeHtml from "sanitize-html";
import { countWords, htmlToText, postSanitizeOptions } from "./markdown.ts";

export interface RenderedSlides {
  /** The deck markup: Marp's <div class="marpit"> with one <svg><foreignObject><section> per slide. */
  html: string;
  /** Marp's scoped CSS for the deck (served as a same-origin stylesheet, not inline, for CSP). */
  css: string;
  slideCount: number;
  text: string;
  wordCount: number;
}

const deckSanitize: sanitizeHtml.IOptions = {
  ...postSanitizeOptions,
  allowedTags: [
    ...(postSanitizeOptions.allowedTags as string[]),
    "section",
    "svg",
    "foreignObject",
    "div",
    "header",
    "footer",
  ],
  allowedAttributes: {
    ...postSanitizeOptions.allowedAttributes,
    svg: ["viewBox", "data-marpit-svg"],
    foreignObject: ["width", "height"],
    section: ["id", "data-*", "class", "lang"],
    div: ["class"],
  },
  // Marp uses inline style for per-slide backgrounds; we drop it (CSP forbids inline styles).
  parser: { lowerCaseAttributeNames: false, lowerCaseTags: false },
};

let MarpCtor: typeof MarpClass | undefined;

/** Render a Marp deck. HTML inside slides is not allowed (Marp's default), so output stays safe. */
export function renderSlides(source: string): RenderedSlides {
  // Marp is loaded on first use: only saving a presentation needs it, and it is heavy to load.
  MarpCtor ??= (createRequire(import.meta.url)("@marp-team/marp-core") as { Marp: typeof MarpClass }).Marp;
  const marp = new MarpCtor({ html: false, inlineSVG: true, script: false, math: false });
  const { html, css } = marp.render(source);
  const clean = sanitizeHtml(html, deckSanitize);
  const slideCount = (clean.match(/<section\b/g) ?? []).length;
  const text = htmlToText(clean);
  return { html: clean, css, slideCount, text, wordCount: countWords(text) };
}
