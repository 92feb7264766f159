/** Hono's `html` template, typed as synchronous (we never interpolate promises). */
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

export type H = HtmlEscapedString;
export { raw };

/** Escaping HTML template: interpolations are escaped unless they are `H` (or `raw()`). */
export function h(strings: TemplateStringsArray, ...values: unknown[]): H {
  return html(strings, ...values) as H;
}

/** JSON for a <script type="application/ld+json"> block: `<` escaped so it cannot close the tag. */
export function jsonLd(data: unknown): H {
  const json = JSON.stringify(data)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
  return raw(`<script type="application/ld+json">${json}</script>`);
}
