/**
 * Finding an account by its handle (`@user@host`) through our guarded fetcher: WebFinger at
 * `https://host/.well-known/webfinger`, then its `self` link. Fedify's own lookup fetches
 * WebFinger outside our SSRF guard (and only over HTTPS), so handles are resolved here. Plain
 * HTTP is tried only where private addresses are allowed (LINER_ALLOW_PRIVATE_FETCH: tests on
 * loopback, intranets), after HTTPS failed.
 */
import type { AppContext } from "../lib/context.ts";

const HANDLE = /^@?([^@\s/]+)@([a-z0-9.-]+(?::\d+)?)$/i;

/** A handle's parts, or undefined when the input is not a handle. Pure. */
export function parseHandle(input: string): { user: string; host: string } | undefined {
  const m = HANDLE.exec(input.trim());
  return m ? { user: m[1], host: m[2].toLowerCase() } : undefined;
}

/** The actor URI a handle names, or undefined when the server does not know it. */
export async function webfingerActor(
  app: Pick<AppContext, "fetcher" | "config">,
  handle: { user: string; host: string },
): Promise<string | undefined> {
  const resource = `acct:${handle.user}@${handle.host}`;
  const schemes = app.config.allowPrivateFetch ? ["https", "http"] : ["https"];
  for (const scheme of schemes) {
    const url = `${scheme}://${handle.host}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`;
    let res: Awaited<ReturnType<AppContext["fetcher"]["fetch"]>>;
    try {
      res = await app.fetcher.fetch(url, {
        headers: { Accept: "application/jrd+json, application/json" },
        maxBytes: 64 * 1024,
        timeoutMs: 10_000,
      });
    } catch {
      continue;
    }
    if (res.status !== 200) return undefined;
    try {
      const jrd = JSON.parse(new TextDecoder().decode(res.body)) as {
        links?: { rel?: string; type?: string; href?: string }[];
      };
      const self = jrd.links?.find(
        (l) => l.rel === "self" && /activity\+json|ld\+json/.test(l.type ?? "") && typeof l.href === "string",
      );
      return self?.href && /^https?:\/\//.test(self.href) ? self.href : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
