/**
 * Test support: the fixtures in this folder, parsed by Fedify through our own document loader
 * (`loader.ts`) on a fetcher that answers only Akkoma's LitePub context (which servers host
 * themselves: a real loader fetches it) and fails every other request, recording all of them, so
 * a test can show that what is embedded needed no network.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Object as APObject } from "@fedify/vocab";
import type { FetchResult } from "../../lib/net/types.ts";
import { guardedLoader } from "../loader.ts";

const dir = path.dirname(fileURLToPath(import.meta.url));
const LITEPUB = "https://akkoma.example/schemas/litepub-0.1.jsonld";

/** A fixture's JSON. */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
}

/** A loader over a fetcher with no network, and the URLs it was asked for. */
export function offlineLoader() {
  const requested: string[] = [];
  const loader = guardedLoader({
    fetcher: {
      async fetch(url: string): Promise<FetchResult> {
        requested.push(url);
        const ok = url === LITEPUB;
        const body = ok ? fs.readFileSync(path.join(dir, "litepub-0.1.jsonld")) : new Uint8Array();
        return { status: ok ? 200 : 404, url, headers: new Headers(), body, notModified: false };
      },
    },
  });
  return { loader, requested, opts: { documentLoader: loader, contextLoader: loader } };
}

/** A fixture parsed by Fedify (an activity, actor or object) with an offline loader. */
export async function parsed(name: string) {
  const offline = offlineLoader();
  const object = await APObject.fromJsonLd(fixture(name), offline.opts);
  return { object, ...offline };
}
