/**
 * LinkedIn's Posts API (learn.microsoft.com/linkedin/marketing/community-management/shares/posts-api),
 * through our guarded fetcher: the member behind a token (OpenID `userinfo`), and a post with
 * commentary and an article share of the post's URL. LinkedIn keeps no idempotency key: a copy
 * whose send was cut off is left for the owner to look at, never sent again by itself (syndicate.ts).
 */
import { type CodeGrant, codeGrantBody, goneIsDone, PlatformError } from "./platform-error.ts";

/** LinkedIn's API origin (a test points the account elsewhere). */
export const LINKEDIN_API = "https://api.linkedin.com";
/** The Posts API version these calls are written for. */
const VERSION = "202405";
/** The longest commentary LinkedIn takes. */
export const MAX_COMMENTARY = 3000;

export interface LinkedInLogin {
  api: string;
  token: string;
}

async function call(fetchFn: typeof fetch, login: LinkedInLogin, path: string, init: RequestInit = {}) {
  let res: Response;
  try {
    res = await fetchFn(new URL(path, login.api), {
      ...init,
      headers: {
        authorization: `Bearer ${login.token}`,
        "linkedin-version": VERSION,
        "x-restli-protocol-version": "2.0.0",
        ...(init.headers as Record<string, string>),
      },
    });
  } catch (err) {
    throw new PlatformError("down", `LinkedIn could not be reached (${String(err).slice(0, 200)}).`, { cause: err });
  }
  if (res.ok) return res;
  let said = `HTTP ${res.status}`;
  try {
    const e = (await res.json()) as { message?: string; code?: string };
    said = [e.code, e.message].filter(Boolean).join(": ") || said;
  } catch {
    // Not JSON: the status says enough.
  }
  if (res.status === 401) throw new PlatformError("auth", `LinkedIn refused the token (${said}).`);
  if (res.status === 429) {
    const after = Number(res.headers.get("retry-after"));
    throw new PlatformError("rate", `LinkedIn's rate limit (${said}).`, {
      retryAt: Number.isFinite(after) && after > 0 ? new Date(Date.now() + after * 1000) : undefined,
    });
  }
  if (res.status >= 500) throw new PlatformError("down", `LinkedIn is failing (${said}).`);
  if (res.status === 404) throw new PlatformError("gone", `LinkedIn has no such post (${said}).`);
  if (res.status === 422 && /length|too long/i.test(said))
    throw new PlatformError("too-long", `LinkedIn refused the text as too long (${said}).`);
  throw new PlatformError("refused", `LinkedIn refused it (${said}).`);
}

/** The member behind a token: their person URN and name. */
export async function linkedinMember(
  fetchFn: typeof fetch,
  login: LinkedInLogin,
): Promise<{ urn: string; name: string }> {
  const me = (await (await call(fetchFn, login, "/v2/userinfo")).json()) as { sub?: string; name?: string };
  if (!me.sub) throw new PlatformError("refused", "LinkedIn did not say whose token this is.");
  return { urn: `urn:li:person:${me.sub}`, name: me.name ?? me.sub };
}

/** Commentary in LinkedIn's "little text" format: its reserved characters escaped. Pure. */
export function littleText(s: string): string {
  return s.replace(/[\\|{}@[\]()<>#*_~]/g, (ch) => `\\${ch}`);
}

/** Post commentary with an article share; returns the post's URN and URL. */
export async function postToLinkedIn(
  fetchFn: typeof fetch,
  login: LinkedInLogin,
  p: { author: string; commentary: string; article: { url: string; title: string; description: string } },
): Promise<{ id: string; url: string }> {
  if ([...p.commentary].length > MAX_COMMENTARY)
    throw new PlatformError(
      "too-long",
      `The text is ${[...p.commentary].length} characters; LinkedIn takes ${MAX_COMMENTARY}.`,
    );
  const res = await call(fetchFn, login, "/rest/posts", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      author: p.author,
      commentary: littleText(p.commentary),
      visibility: "PUBLIC",
      distribution: { feedDistribution: "MAIN_FEED", targetEntities: [], thirdPartyDistributionChannels: [] },
      content: { article: { source: p.article.url, title: p.article.title, description: p.article.description } },
      lifecycleState: "PUBLISHED",
      isReshareDisabledByAuthor: false,
    }),
  });
  const id = res.headers.get("x-restli-id");
  if (!id) throw new PlatformError("refused", "LinkedIn answered without the new post's id.");
  return { id, url: `https://www.linkedin.com/feed/update/${id}/` };
}

const postPathOf = (urn: string) => `/rest/posts/${encodeURIComponent(urn)}`;

/** Change a post's commentary (the Posts API's partial update). */
export async function updateLinkedInPost(
  fetchFn: typeof fetch,
  login: LinkedInLogin,
  urn: string,
  commentary: string,
): Promise<void> {
  if ([...commentary].length > MAX_COMMENTARY)
    throw new PlatformError(
      "too-long",
      `The text is ${[...commentary].length} characters; LinkedIn takes ${MAX_COMMENTARY}.`,
    );
  await call(fetchFn, login, postPathOf(urn), {
    method: "POST",
    headers: { "content-type": "application/json", "x-restli-method": "PARTIAL_UPDATE" },
    body: JSON.stringify({ patch: { $set: { commentary: littleText(commentary) } } }),
  });
}

/** Delete a post; one already gone (404) is no error. */
export async function deleteLinkedInPost(fetchFn: typeof fetch, login: LinkedInLogin, urn: string): Promise<void> {
  await goneIsDone(
    call(fetchFn, login, postPathOf(urn), { method: "DELETE", headers: { "x-restli-method": "DELETE" } }),
  );
}

/** What Liner Notes asks LinkedIn for: who the member is (OpenID), and posting for them. */
export const LINKEDIN_SCOPES = "openid profile w_member_social";

/** Trade the code LinkedIn's sign-in brought back for a member token (POST /oauth/v2/accessToken). */
export async function linkedinToken(fetchFn: typeof fetch, origin: string, grant: CodeGrant): Promise<string> {
  let res: Response;
  try {
    res = await fetchFn(new URL("/oauth/v2/accessToken", origin), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: codeGrantBody(grant),
    });
  } catch (err) {
    throw new PlatformError("down", `LinkedIn could not be reached (${String(err).slice(0, 200)}).`, { cause: err });
  }
  const body = (await res.json().catch(() => ({}))) as {
    access_token?: string;
    error?: string;
    error_description?: string;
  };
  if (res.ok && body.access_token) return body.access_token;
  const said = [body.error, body.error_description].filter(Boolean).join(": ") || `HTTP ${res.status}`;
  if (res.status >= 500) throw new PlatformError("down", `LinkedIn is failing (${said}).`);
  throw new PlatformError("auth", `LinkedIn refused the sign-in (${said}).`);
}
