// test lanes: sqlite only
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Create, Follow, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { signIn } from "../auth/testing.ts";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import { itemStore } from "../conversation/testing.ts";
import { followerStore, followingStore } from "./relations-store.ts";
import { serveSite, startPeer, type Tls, until } from "./testing.ts";

// The site and a Fedify server over HTTPS, with certificates from a CA made for the test and
// trusted only through NODE_EXTRA_CA_CERTS. Node reads that variable at start-up, so the
// conversation runs in a child process started with it; this process checks that the same
// certificate is refused without it (TLS is verified, not switched off).
const dir = process.env.LINER_TEST_TLS_DIR;

/** A CA and a server certificate for 127.0.0.1 and 127.0.0.2 (openssl, EC keys: quick). */
function makeCerts(to: string): void {
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: to, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  ssl(
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=Liner test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  ssl("req", ...ec, "-keyout", "key.pem", "-out", "req.csr", "-subj", "/CN=127.0.0.1");
  fs.writeFileSync(path.join(to, "ext"), "subjectAltName=IP:127.0.0.1,IP:127.0.0.2\nextendedKeyUsage=serverAuth\n");
  ssl(
    "x509",
    "-req",
    "-in",
    "req.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "cert.pem",
    "-days",
    "2",
    "-extfile",
    "ext",
  );
}

const tlsOf = (d: string): Tls => ({
  key: fs.readFileSync(path.join(d, "key.pem"), "utf8"),
  cert: fs.readFileSync(path.join(d, "cert.pem"), "utf8"),
});

if (!dir) {
  test("over HTTPS with a self-signed CA: refused without it, a whole conversation with it", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "liner-tls-"));
    try {
      makeCerts(tmp);
      const server = https.createServer(tlsOf(tmp), (_q, r) => r.end("hi"));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as { port: number };
      await assert.rejects(fetch(`https://127.0.0.1:${port}/`), "an unknown CA is refused");
      server.close();
      // Without NODE_TEST_CONTEXT, node:test runs the child's tests instead of refusing to nest.
      const { NODE_TEST_CONTEXT: _nested, ...env } = process.env;
      const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
        env: { ...env, NODE_EXTRA_CA_CERTS: path.join(tmp, "ca.pem"), LINER_TEST_TLS_DIR: tmp },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (b) => (out += b));
      child.stderr.on("data", (b) => (out += b));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      assert.equal(code, 0, out);
      assert.match(out, /pass 2\b/, out);
      assert.match(out, /fail 0\b/, out);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
} else {
  test("(child) follow, a post, a reply: all over HTTPS", async () => {
    const tls = tlsOf(dir);
    const site = await serveSite({}, tls);
    const peer = await startPeer("carol", "127.0.0.2", { tls });
    try {
      assert.match(site.origin, /^https:/);
      const inbox = `${site.origin}/ap/inbox`;
      await peer.send(
        (me) => new Follow({ id: new URL(`${me.href}#f`), actor: me, object: new URL(site.actorUri) }),
        inbox,
        site.actorUri,
      );
      await site.ctx.runner.drain();
      assert.equal((await followerStore(site.ctx.db).byActor(peer.actorUri))?.status, "accepted");
      const theme = await saveTheme(site.ctx, { name: "Craft", slug: "craft" });
      const post = await savePost(site.ctx, systemActor, {
        kind: "note",
        title: "On TLS",
        slug: "tls",
        body: "Encrypted.",
        themeIds: [theme.id],
        status: "published",
      });
      await site.ctx.runner.drain();
      await until(() => peer.received.some((r) => r.type === "Create"), "the post arrived");
      assert.ok(
        peer.received.some((r) => r.type === "Accept"),
        "the Accept arrived over HTTPS",
      );
      assert.ok(
        peer.received.some((r) => r.type === "Create"),
        "the post arrived over HTTPS",
      );
      const objectId = `${site.origin}/ap/posts/${post.id}`;
      await peer.send(
        (me) =>
          new Create({
            id: new URL(`${me.href}#c`),
            actor: me,
            object: new Note({
              id: new URL(`${me.href}/s/1`),
              attribution: me,
              replyTarget: new URL(objectId),
              content: "<p>Nice</p>",
              to: PUBLIC_COLLECTION,
            }),
          }),
        inbox,
        site.actorUri,
      );
      await site.ctx.runner.drain();
      assert.equal((await itemStore(site.ctx.db).byRemote("activitypub", `${peer.actorUri}/s/1`))?.text, "Nice");
    } finally {
      await peer.close();
      await site.close();
    }
  });

  test("(child) two Liner sites over HTTPS: B follows A by its handle (WebFinger), A's post reaches B's reader", async () => {
    const tls = tlsOf(dir);
    const a = await serveSite({}, tls);
    const b = await serveSite({}, tls);
    try {
      const ownerB = await signIn(b.ctx, b.app);
      const res = await ownerB.form("/admin/sources", {
        url: `@owner@${new URL(a.origin).host}`,
        folder: "",
        title: "",
      });
      assert.equal(res.status, 303, await res.text());
      const both = async () => {
        await a.ctx.runner.drain();
        await b.ctx.runner.drain();
      };
      await until(async () => {
        await both();
        return (await followingStore(b.ctx.db).byActor(a.actorUri))?.status === "accepted";
      }, "A accepted B");
      const theme = await saveTheme(a.ctx, { name: "Craft", slug: "craft" });
      await savePost(a.ctx, systemActor, {
        kind: "article",
        title: "Over TLS",
        slug: "tls",
        body: "Hi.",
        themeIds: [theme.id],
        status: "published",
      });
      await until(async () => {
        await both();
        return (await b.ctx.db.kysely.selectFrom("items").select("title").execute()).some(
          (i) => i.title === "Over TLS",
        );
      }, "the article reached B's reader");
    } finally {
      await b.close();
      await a.close();
    }
  });
}
