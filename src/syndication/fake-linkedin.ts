/**
 * Tests only: LinkedIn's API on loopback, written from its documentation (OpenID `userinfo`; the
 * Posts API's `POST /rest/posts` with `LinkedIn-Version` and `X-Restli-Protocol-Version`, answering
 * 201 with the new post's URN in `x-restli-id`; `POST /rest/posts/{urn}` with `X-RestLi-Method:
 * PARTIAL_UPDATE` and `DELETE` of the same, 204; errors as `{ status, serviceErrorCode, code,
 * message }`), because LinkedIn cannot run here. It keeps the posts it was sent and can be told to
 * fail the next call: a revoked token (401), its throttle (429), or an outage (503).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeLinkedIn {
  url: string;
  token: string;
  posts: Record<string, any>[];
  failNext(failure: "revoked" | "rate" | "down"): void;
  close(): Promise<void>;
}

/** The LinkedIn app the fake knows (LINER_LINKEDIN_CLIENT_ID / _SECRET in a test). */
export const CLIENT = { id: "li-client", secret: "li-client-secret" };

export async function startFakeLinkedIn(): Promise<FakeLinkedIn> {
  const token = "li-token-abcdefgh";
  const posts: Record<string, any>[] = [];
  const failures: ("revoked" | "rate" | "down")[] = [];
  let revoked = false;
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    const parts: Buffer[] = [];
    req.on("data", (d: Buffer) => parts.push(d));
    req.on("end", () => {
      // Sign-in (learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow): the
      // member approves at once, and the code is traded for the token at /oauth/v2/accessToken.
      const u = new URL(req.url ?? "/", "http://x");
      if (u.pathname === "/oauth/v2/authorization") {
        const ok = u.searchParams.get("client_id") === CLIENT.id && u.searchParams.get("redirect_uri");
        if (!ok) return send(400, { error: "invalid_request", error_description: "Unknown client_id" });
        const q = new URLSearchParams({ code: "li-code", state: u.searchParams.get("state") ?? "" });
        res.writeHead(302, { location: `${u.searchParams.get("redirect_uri")}?${q}` });
        return res.end();
      }
      if (u.pathname === "/oauth/v2/accessToken" && req.method === "POST") {
        const p = new URLSearchParams(Buffer.concat(parts).toString("utf8"));
        if (p.get("client_id") !== CLIENT.id || p.get("client_secret") !== CLIENT.secret || p.get("code") !== "li-code")
          return send(400, {
            error: "invalid_request",
            error_description:
              "Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code.",
          });
        revoked = false;
        return send(200, { access_token: token, expires_in: 5183999, scope: "openid,profile,w_member_social" });
      }
      const f = failures.shift();
      if (f === "revoked") revoked = true;
      if (f === "rate")
        return send(
          429,
          {
            status: 429,
            message: "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
          },
          { "retry-after": "3600" },
        );
      if (f === "down") return send(503, { status: 503, message: "Service Unavailable" });
      if (revoked || req.headers.authorization !== `Bearer ${token}`)
        return send(401, {
          status: 401,
          serviceErrorCode: 65601,
          code: "REVOKED_ACCESS_TOKEN",
          message: "The token used in the request has been revoked by the user",
        });
      if (req.url === "/v2/userinfo") return send(200, { sub: "abc123", name: "Alice Example" });
      if (req.url === "/rest/posts" && req.method === "POST") {
        if (!req.headers["linkedin-version"] || req.headers["x-restli-protocol-version"] !== "2.0.0")
          return send(400, { status: 400, message: "A version header is missing" });
        const body = JSON.parse(Buffer.concat(parts).toString("utf8"));
        if (String(body.commentary ?? "").length > 3000)
          return send(422, { status: 422, message: "commentary length too long" });
        body.id = `urn:li:share:${7001 + posts.length}`;
        posts.push(body);
        return send(201, undefined, { "x-restli-id": body.id });
      }
      const one = /^\/rest\/posts\/([^/?]+)$/.exec(req.url ?? "");
      const urn = one ? decodeURIComponent(one[1]) : "";
      const post = posts.find((p) => p.id === urn && !p.deleted);
      if (one && !post) return send(404, { status: 404, message: `Post ${urn} not found` });
      if (post && req.method === "DELETE" && req.headers["x-restli-method"] === "DELETE") {
        post.deleted = true;
        return send(204, undefined);
      }
      if (post && req.method === "POST" && req.headers["x-restli-method"] === "PARTIAL_UPDATE") {
        const commentary = JSON.parse(Buffer.concat(parts).toString("utf8"))?.patch?.$set?.commentary;
        if (typeof commentary !== "string")
          return send(400, { status: 400, message: "patch.$set.commentary is missing" });
        post.commentary = commentary;
        return send(204, undefined);
      }
      return send(404, { status: 404, message: "No such resource" });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    posts,
    failNext: (failure) => failures.push(failure),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
