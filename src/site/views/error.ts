/** Error pages: 404 offers a search box; other statuses explain briefly. Never technical details. */
import { h } from "../../lib/html.ts";
import { type Chrome, layout } from "./layout.ts";
import { searchForm } from "./search.ts";

const titles: Record<number, string> = {
  400: "That request didn't work",
  401: "Please sign in",
  403: "Not allowed",
  404: "Page not found",
  405: "Not allowed",
  410: "Gone",
  413: "Too large",
  429: "Too many requests",
  500: "Something went wrong",
  503: "Temporarily unavailable",
};

/** A full error page for a status and a user-facing message. */
export function errorPage(chrome: Chrome, status: number, message: string, path: string): string {
  const title = titles[status] ?? (status >= 500 ? "Something went wrong" : "That didn't work");
  const main = h`<div class="wrap error-page">
<header class="page-header"><p class="kind">Error ${status}</p><h1>${title}</h1></header>
${message && message !== title ? h`<p class="lede">${message}</p>` : ""}
${
  status === 404
    ? h`<p>The page may have moved or never existed. Try searching for it:</p>
${searchForm({}, "notfound")}
<p><a href="/">Go to the home page</a> or browse the <a href="/archive">archive</a>.</p>`
    : path === "/admin" || path.startsWith("/admin/")
      ? h`<p><a href="/admin">Back to the admin</a> · <a href="/">Go to the home page</a></p>`
      : h`<p><a href="/">Go to the home page</a></p>`
}
</div>`;
  return layout(chrome, { title, path, noindex: true }, main);
}
