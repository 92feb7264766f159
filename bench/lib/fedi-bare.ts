/**
 * The floor of the `federate` benchmark's fan-out: a bare Fedify federation in its own process
 * (an in-memory key–value store, no queue, one RSA key like the site's signing key), whose actor
 * is served on 127.0.0.1 so that the inboxes can fetch its key, and which sends one Create to the
 * same followers with one `sendActivity` call (Fedify then posts to every shared inbox at once).
 *
 * Run as `BENCH_FEDI_BARE=1 node bench/lib/fedi-bare.ts` this file is that process.
 */
import type { ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { spawnTracked } from "./proc.ts";

/** One follower, as the site's database has it. */
export interface BareRecipient {
  id: string;
  inbox: string;
  sharedInbox: string;
}

/** What the parent asks: send `object` (a post as ActivityStreams JSON) as a Create, numbered `n`. */
interface SendRequest {
  n: number;
  object: Record<string, unknown>;
  recipients: BareRecipient[];
}

async function runBare(): Promise<void> {
  const { createFederation, generateCryptoKeyPair, MemoryKvStore } = await import("@fedify/fedify");
  const { Create, Endpoints, Person, PUBLIC_COLLECTION } = await import("@fedify/vocab");
  const { getRequestListener } = await import("@hono/node-server");
  const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  const fed = createFederation<void>({ kv: new MemoryKvStore(), allowPrivateAddress: true });
  fed
    .setActorDispatcher("/users/{identifier}", async (ctx, id) => {
      if (id !== "bare") return null;
      const [kp] = await ctx.getActorKeyPairs(id);
      return new Person({
        id: ctx.getActorUri(id),
        preferredUsername: id,
        inbox: ctx.getInboxUri(id),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: kp.cryptographicKey,
      });
    })
    .setKeyPairsDispatcher((_ctx, id) => (id === "bare" ? [keys] : []));
  fed.setInboxListeners("/users/{identifier}/inbox", "/inbox");
  const server = http.createServer(getRequestListener((req) => fed.fetch(req, { contextData: undefined })));
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ctx = fed.createContext(new URL(origin), undefined);
  const me = ctx.getActorUri("bare");

  process.on("message", async (msg: SendRequest) => {
    // The site's post, as its own: the same content under this actor's ids.
    const create = await Create.fromJsonLd(
      {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${origin}/posts/${msg.n}#create`,
        type: "Create",
        actor: me.href,
        object: { ...msg.object, id: `${origin}/posts/${msg.n}`, attributedTo: me.href },
        to: PUBLIC_COLLECTION.href,
        cc: `${me.href}/followers`,
      },
      { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader },
    );
    const recipients = msg.recipients.map((r) => ({
      id: new URL(r.id),
      inboxId: new URL(r.inbox),
      endpoints: new Endpoints({ sharedInbox: new URL(r.sharedInbox) }),
    }));
    const started = performance.now();
    let error = "";
    try {
      await ctx.sendActivity({ identifier: "bare" }, recipients, create, { preferSharedInbox: true });
    } catch (err) {
      error = String(err);
    }
    process.send?.({ ms: performance.now() - started, error });
  });
  process.send?.({ origin });
}

if (process.env.BENCH_FEDI_BARE === "1") await runBare();

/** The bare sender: `send` resolves when Fedify's `sendActivity` has returned (every POST answered). */
export interface BareProcess {
  child: ChildProcess;
  origin: string;
  send(n: number, object: Record<string, unknown>, recipients: BareRecipient[]): Promise<{ ms: number; error: string }>;
}

export function startBare(): Promise<BareProcess> {
  const child = spawnTracked(process.execPath, [new URL(import.meta.url).pathname], {
    env: { ...process.env, BENCH_FEDI_BARE: "1" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const send = (n: number, object: Record<string, unknown>, recipients: BareRecipient[]) =>
    new Promise<{ ms: number; error: string }>((resolve, reject) => {
      const died = (code: number | null) => reject(new Error(`bare Fedify sender exited (${code})`));
      child.once("exit", died);
      child.once("message", (m) => {
        child.off("exit", died);
        resolve(m as { ms: number; error: string });
      });
      child.send({ n, object, recipients } satisfies SendRequest);
    });
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve({ child, origin: (m as { origin: string }).origin, send }));
    child.once("exit", (code) => reject(new Error(`bare Fedify sender exited (${code})`)));
  });
}
