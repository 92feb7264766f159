/**
 * The app shell's module interface. Each domain module (src/<module>/) declares in its `module.ts`
 * what it adds to the app: public routes, admin pages and their navigation, static files of the
 * admin, background jobs, CLI commands, blocks on shared pages, and its part in erasing a
 * person's data. The shell (src/app.ts, src/admin.ts, src/cli/) assembles the list in
 * src/modules.ts; no module imports another to wire it in.
 *
 * Declarations are cheap to load: everything heavy sits behind a dynamic import, so `liner search`
 * loads no web pages and a web process that runs no jobs loads no job handlers.
 */
import type { Context, Hono } from "hono";
import type { Config } from "./config.ts";
import type { AppContext } from "./context.ts";
import type { H } from "./html.ts";
import type { AppEnv } from "./http/env.ts";
import type { FieldErrors } from "./ui/form.ts";
import type { Html, NavEntry } from "./ui/layout.ts";

/** The post a block is rendered for (the public page's view of it). */
export interface BlockPost {
  id: number;
  kind: string;
  slug: string;
  title: string;
  summary: string;
  /** Absolute URL of the post. */
  url: string;
  /** When it was published (ISO), if it was. */
  publishedAt?: string | null;
}

/** What a block adds to a page: HTML (made with the escaping template) and scripts it needs. */
export interface PageBlock {
  html: H;
  /** Script URLs for the page's head (deferred; the page lists each once). */
  scripts?: string[];
  /** A line for the post's header, shown first in place of the publication date (an event's date). */
  header?: H;
}

/**
 * Named places on shared pages where modules add blocks. A block renders a `PageBlock`, or
 * nothing. Blocks of one slot appear in module order.
 */
export interface Slots {
  /** Inside a post's article, after its body: e.g. an event's details and registration form. */
  "post.body": (ctx: AppContext, post: BlockPost) => Promise<PageBlock | undefined>;
  /** After a post: e.g. "email this to a colleague" and the subscribe form. */
  "post.after": (ctx: AppContext, post: BlockPost) => Promise<PageBlock | undefined>;
  /** At the top of the home page's first page, above the posts: e.g. the call to subscribe. */
  "home.top": (ctx: AppContext) => Promise<PageBlock | undefined>;
  /** Links on the site footer's "Follow" line, before the feeds: e.g. "By email". */
  "footer.links": (ctx: AppContext) => Promise<PageBlock | undefined>;
  /** Notes on listed posts' meta lines, by post id: e.g. "3 comments". */
  "post.meta": (ctx: AppContext, postIds: number[]) => Promise<Map<number, H>>;
}
export type SlotName = keyof Slots;

/**
 * A part of the post editor that another module owns (the event fields of an event post): its
 * values travel with the form as plain strings under the part's own field names, are checked
 * before the post is saved (an error goes next to its field, nothing typed is lost) and saved
 * once the post is. `Checked` is whatever `check` returns for `save` to store.
 */
export interface EditorPart<Checked = unknown> {
  /** The part's stored values for a post, or undefined when it has none yet. */
  load(ctx: AppContext, postId: number, timeZone: string): Promise<Record<string, string> | undefined>;
  /** What the form starts with where the post has no values of the part yet (a new post). */
  defaults?(ctx: AppContext): Promise<Record<string, string> | undefined>;
  /** The part's values from a submitted form. */
  fromForm(field: (name: string) => string): Record<string, string>;
  /**
   * For a post of `kind`: the checked input, or null after recording problems in `errors`
   * (under the part's field names); undefined when the part does not apply to the kind.
   */
  check(
    kind: string,
    values: Record<string, string> | undefined,
    errors: FieldErrors,
    timeZone: string,
  ): Checked | null | undefined;
  /** Store the checked input for the saved post. */
  save(ctx: AppContext, postId: number, checked: Checked): Promise<void>;
  /** The part's fieldset in the editor (it shows itself only for the kinds it applies to). */
  fieldset(values: Record<string, string> | undefined, errors: FieldErrors, kind: string, timeZone: string): Html;
}

/**
 * A part of the one-time setup form (the owner's first visit) that a module owns: the site's
 * identity fields of the content module, say, while the setup page itself belongs to auth. Like
 * an `EditorPart`, its values travel as plain strings under its own field names (files too),
 * are checked before the account is made (an error goes next to its field, nothing typed is
 * lost) and saved once the account exists. `Checked` is what `check` returns for `save`.
 */
export interface SetupPart<Checked = unknown> {
  /** The values the form starts with (the current settings, unless they are the demo's). */
  load(ctx: AppContext): Promise<Record<string, string>>;
  /** The part's values from a submitted form. */
  fromForm(field: (name: string) => string): Record<string, string>;
  /**
   * Check the values (and store an uploaded file, read by `file`): the checked input, or null after
   * recording problems in `errors` under the part's field names. `account` is what the person
   * typed for their account, for values carried across from it.
   */
  check(
    ctx: AppContext,
    values: Record<string, string>,
    file: (name: string) => File | undefined,
    account: { name: string; email: string },
    errors: FieldErrors,
  ): Promise<Checked | null>;
  /** Save the checked input once the account exists. */
  save(ctx: AppContext, checked: Checked, userId: number): Promise<void>;
  /** The part's fields on the setup form. */
  fieldset(values: Record<string, string>, errors: FieldErrors): Html;
}

/** One line of the admin home's first-run checklist, from the module whose data decides it. */
export interface ChecklistItem {
  id: string;
  /** What to do, as a short imperative ("Write your first post"). */
  label: string;
  /** Where to do it. */
  href: string;
  /** Done, judged from the module's real data. */
  done: boolean;
  /** Progress or what is missing ("2 of 5 followed"). */
  detail?: string;
  /** Position in the list, lowest first. */
  order: number;
}

/**
 * A module's part of the demo content seeded on first start: removed in one action, with undo.
 * `remove` takes away only what the demo added (never the owner's own things) and returns a
 * JSON-able snapshot of it, or undefined when there was nothing to remove; `restore` puts a
 * snapshot back as it was.
 */
export interface DemoContent {
  remove(ctx: AppContext): Promise<unknown>;
  restore(ctx: AppContext, snapshot: unknown): Promise<void>;
}

/**
 * Where an export part writes its files: a folder (`liner export all DIR`) or an archive streamed
 * to the owner (the admin's download). Paths are relative and "/"-separated ("posts/hello.md").
 */
export interface ExportSink {
  /** Add a file with this content. */
  file(path: string, body: string | Uint8Array): Promise<void>;
  /** Add a copy of a file on disk (media), streamed rather than read into memory. */
  copy(path: string, from: string): Promise<void>;
  /** Report progress within the current part (files or items done of a total), for a terminal. */
  progress(done: number, total: number): void;
}

/**
 * A module's part of the owner's export of the whole site in open formats: posts as Markdown,
 * sources as OPML, subscribers as CSV... The module that owns the data writes it.
 */
export interface ExportPart {
  /** Where its files go in the export: a file ("sources.opml") or a folder ("posts/"). */
  path: string;
  /** What the files are and their format, for the export's README.txt (a sentence or two). */
  describe: string;
  /** What it counts, singular and plural ("post", "posts"), for the summary. */
  noun: [string, string];
  /** Write the part's files; returns how many things (posts, subscribers, ...) it wrote. */
  write(ctx: AppContext, sink: ExportSink): Promise<number>;
}

/** A module's admin pages. */
export interface AdminPages {
  /**
   * Checks that must run before anything reads the body (upload size by Content-Length):
   * registered ahead of the admin's body limit and CSRF check.
   */
  guards?(ctx: AppContext, app: Hono<AppEnv>): void;
  /** Register the pages on the admin app (mounted at /admin). */
  routes(ctx: AppContext, app: Hono<AppEnv>): void;
}

/** Where a CLI command writes and reads; `process` streams for `liner`, buffers in tests. */
export interface CliStreams {
  stdout: Output;
  stderr: Output;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** Configuration set in code on top of `env` (tests lower the password-hash cost, say). */
  config?: Partial<Config>;
}

/** What a command gets from the CLI shell: its streams, and contexts on the configured database. */
export interface CliIo extends CliStreams {
  /**
   * Open a context with the app's modules; its configuration comes from `env` (or `envOverride`,
   * for a server told its host and port by flags), then `config`, then `overrides`. With
   * `mustExist`, a database that is not a site yet is refused (ContextOptions.mustExist).
   */
  openContext(
    overrides?: Partial<Config>,
    envOverride?: NodeJS.ProcessEnv,
    opts?: { mustExist?: boolean },
  ): Promise<AppContext>;
  /** Close a context opened with `openContext`. */
  closeContext(ctx: AppContext): Promise<void>;
}

/** A writable text stream: `process.stdout`, or a test's buffer. */
export interface Output {
  write(s: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

/** A command's entry: arguments after the command's name; the exit code, or "running" for a server. */
export type CliCommand = (args: string[], io: CliIo) => Promise<number | "running">;

/** A CLI command a module adds, e.g. `digest draft`. */
export interface CliCommandSpec {
  /** One or two words: "search", "digest draft". */
  name: string;
  /** The overview's entry: the synopsis line(s) and what it does, as `liner help` prints them. */
  overview: string;
  /** The full help of `liner help NAME` and `liner NAME --help`. */
  usage: string;
  load(): Promise<CliCommand>;
}

/**
 * A post went public, changed while public, or stopped being public (unpublished or deleted),
 * from the editor, the CLI or the schedule. Listeners queue their work (Webmentions, fediverse
 * deliveries) and return quickly; a listener's failure is logged and never undoes the change.
 */
export interface PostChange {
  postId: number;
  /** published: newly public; updated: edited while public; removed: unpublished or deleted. */
  change: "published" | "updated" | "removed";
  kind: string;
  /** Absolute URL of the post (its old URL when removed). */
  url: string;
  /** The body's HTML as published (before the change, when removed). */
  html: string;
  /** A link post's bookmarked URL and its credit chain's URLs ("via" sources), else empty. */
  linkUrls: string[];
}

/** A conversation item as other networks' modules see it (what they need to answer it there). */
export interface ConversationRef {
  id: number;
  postId: number;
  /** site | webmention | activitypub | bluesky */
  via: string;
  /** Its id on its network (null for the site's own comments). */
  remoteId: string | null;
  /** Who wrote it: "ap:<actor URI>" for the fediverse. */
  authorKey: string;
  authorName: string;
  authorUrl: string;
  sourceUrl: string;
}

/** The owner answered an item from the conversation inbox (the answer is published on the site). */
export interface OwnerReply {
  /** The answer's own item. */
  replyId: number;
  /** Its text as typed, and as HTML. */
  text: string;
  html: string;
  /** The item answered. */
  to: ConversationRef;
  /** The post's absolute URL. */
  postUrl: string;
}

/** The reader's request an outcome came from (to find their visit; nothing of it is stored). */
export interface ReaderRequest {
  peer: string;
  forwardedFor?: string;
  forwarded?: string;
  ua?: string;
}

/**
 * Something the writing led to, said by the module it happened in: a confirmed subscription, an
 * inquiry, an event registration, a comment or reply, a new fediverse follower, a digest link
 * click. The module that counts outcomes finds the visit it came from.
 */
export interface Outcome {
  kind: "subscription" | "inquiry" | "registration" | "comment" | "follower" | "click";
  /** Who, as the module names them ("subscriber:42"): never an address. */
  who: string;
  /** The post it was about, when the module knows. */
  postId?: number | null;
  /** The reader's request, when it came from one. */
  reader?: ReaderRequest;
  /** A line for the owner ("Pricing seminar, 3 seats"). */
  note?: string;
  /**
   * Not yet one (a subscription waiting for its confirmation, a comment held for the owner): kept
   * with the visit it came from, and counted when the same kind and `who` come again without it.
   */
  pending?: boolean;
}

/** Things that happen in one module that others act on, each with its argument. */
export interface ModuleEvents {
  "post.changed": (ctx: AppContext, change: PostChange) => Promise<void>;
  /** The owner answered an item: a module that speaks the item's network sends the answer there. */
  "conversation.replied": (ctx: AppContext, reply: OwnerReply) => Promise<void>;
  /** The owner liked an item that came from another network. */
  "conversation.liked": (ctx: AppContext, item: ConversationRef) => Promise<void>;
  /** Something the writing led to happened (see Outcome). */
  outcome: (ctx: AppContext, outcome: Outcome) => Promise<void>;
}
export type EventName = keyof ModuleEvents;

/**
 * A post of a source another module follows for the reader (a fediverse account's note), as that
 * module hands it over: the reader sanitizes the HTML, names the item and stores it like a feed's.
 */
export interface SourceItem {
  /** Its id on its network: the same id twice is one item. */
  id: string;
  /** Its page, if it has one. */
  url: string | null;
  /** Its title ("" for a note: the reader makes one from its first words). */
  title: string;
  /** Its HTML as its network gave it (the reader sanitizes it). */
  html: string;
  /** Who wrote it (for a boost, the original author). */
  authors: { name: string; url: string | null }[];
  published: string | null;
  updated: string | null;
  /** Hashtags and the like. */
  categories: string[];
  /** Images and other media attached to it. */
  attachments: { url: string; type: string | null }[];
  /** For a boost (a share of someone else's post): who shared it, the account followed. */
  boostedBy?: { name: string; url: string } | null;
}

/** What a source kind found for what the owner typed: what the reader keeps, and how to follow it. */
export interface FoundSource {
  /** Its stable id on its network (a fediverse account's actor URI): the reader keys the source by it. */
  key: string;
  /** Its name in the sources list and in credits ("@alice@example.social"). */
  title: string;
  /** Its page (a profile): shown, and what a credit links to. */
  siteUrl: string;
  description: string;
  imageUrl: string | null;
  /** Its own feed, where its server offers one: read instead while following does not work. */
  feedUrl: string | null;
  /** Start following it (called once the reader stored it; the answer may come later). */
  follow(): Promise<void>;
}

/** What the reader does when a followed source of a kind is due (its schedule says "look again"). */
export type SourceRefresh =
  /** Its items arrive by themselves (through the reader's `addSourceItems`): nothing to fetch now. */
  | { kind: "pushed" }
  /** Read its feed (`FoundSource.feedUrl`) as any feed's. */
  | { kind: "feed" }
  /** These items, read from it now (a public outbox, say). */
  | { kind: "items"; items: SourceItem[] };

/**
 * A kind of source that another module follows for the reader (fediverse accounts): the reader
 * asks each kind whether it takes what the owner typed before it looks for a feed, stores what the
 * kind found (keyed by `kind` and `FoundSource.key`), and asks the kind again to refresh and to
 * unfollow it. The reader does not import the modules that provide kinds.
 */
export interface SourceKind {
  /** Stored on each of its sources ("activitypub"). */
  name: string;
  /** What the follow form says it also takes, with an example ("a fediverse account: @alice@mastodon.social"). */
  hint: string;
  /**
   * Whether `input` is this kind's: "yes" when only it can be ("@alice@example.social"), "maybe"
   * for an address worth asking about (a profile's URL), "no" otherwise. Pure and cheap.
   */
  claims(input: string): "yes" | "maybe" | "no";
  /**
   * Look `input` up: what to store, or null when a "maybe" turned out not to be this kind's (the
   * reader then looks for a feed). Throws ValidationError (field "url") saying what was wrong.
   */
  resolve(ctx: AppContext, input: string): Promise<FoundSource | null>;
  /** The source is due: whether its items come by themselves, from its feed, or are these. */
  refresh(ctx: AppContext, source: { key: string; hasFeed: boolean }): Promise<SourceRefresh>;
  /** The owner stopped following it (the source is removed after this returns). */
  unfollow(ctx: AppContext, key: string): Promise<void>;
  /** Where the owner answers one of its items (an admin path), when its kind can be answered. */
  replyPath?(itemId: number): string;
}

/** A link every public HTML page advertises, as an HTTP `Link` header and a `<link>` tag. */
export interface PageLink {
  rel: string;
  /** A site path ("/webmention"), made absolute with the site's base URL. */
  href: string;
}

/**
 * A signed-out reader was served one of the site's HTML pages (200, or 304 to a browser that had
 * it): what first-party counting may look at. Handed over on the page's fast path, so a listener
 * must only note it and return (no I/O); the address and headers are never to be stored as such.
 */
export interface PageView {
  path: string;
  /** The query string, "" or starting with "?". */
  search: string;
  /**
   * The connection's address, and the forwarding headers as sent: the client's own address is
   * the listener's to work out (lib/http/client-ip.ts `clientIpFrom`, with the configured proxies),
   * off the page's path.
   */
  peer: string;
  forwardedFor?: string;
  forwarded?: string;
  referer?: string;
  ua?: string;
  dnt?: string;
  gpc?: string;
  /** `Sec-Purpose` or `Purpose` (a prefetch). */
  purpose?: string;
  /** When (ms since the epoch). */
  at: number;
}

/** A module's listener for page views, made once per context (see PageView). */
export type PageViewSink = (view: PageView) => void;

/** A post as the admin's post list hands it to a module's column. */
export interface PostListItem {
  id: number;
  kind: string;
  /** Its public path once published. */
  path?: string;
}

/** A column a module adds to the admin's post list (say, what each post led to). */
export interface PostListColumn {
  heading: string;
  /** The lowest role that sees it. */
  min: NavEntry["min"];
  /** The cells of one page of the list, by post id (a post without one shows an empty cell). */
  cells(ctx: AppContext, posts: PostListItem[]): Promise<Map<number, Html>>;
}

/** What a module adds to the app. Everything is optional. */
export interface LinerModule {
  name: string;
  /** Public routes, mounted at "/" by `routeOrder` (default 0), then module order. */
  routes?(): Promise<(ctx: AppContext, host: ModuleHost) => Hono<AppEnv>>;
  /** Where the public routes go among the others: the site's catch-all routes come last. */
  routeOrder?: number;
  /** Admin pages, mounted under /admin behind sign-in and CSRF checks, on the first admin request. */
  admin?(): Promise<AdminPages>;
  /** Parts of the post editor (loaded with the admin). */
  editorParts?(): Promise<EditorPart<any>[]>;
  /** Entries of the admin's navigation. */
  nav?: NavEntry[];
  /** A folder of files served at /admin/assets/<file> (stylesheets, scripts of the admin pages). */
  adminAssets?: URL;
  /**
   * Background jobs, loaded only where jobs run: the returned function registers the module's
   * handlers on `ctx.runner` and queues its recurring chains (polling, delivery, schedules).
   */
  jobs?(): Promise<(ctx: AppContext) => Promise<void> | void>;
  /** CLI commands. */
  cli?: CliCommandSpec[];
  /** Blocks on shared pages (loaded on first use). */
  blocks?(): Promise<Partial<Slots>>;
  /** Erase what this module keeps about an email address (a person's right to erasure). */
  erase?(ctx: AppContext, email: string): Promise<void>;
  /** Fields of the one-time setup form (loaded when it is shown). */
  setupParts?(): Promise<SetupPart<any>[]>;
  /** Items of the admin home's first-run checklist, judged from the module's data. */
  checklist?(): Promise<(ctx: AppContext) => Promise<ChecklistItem[]>>;
  /** What the module added to the demo site, for "Remove the demo content" and its undo. */
  demo?(): Promise<DemoContent>;
  /** Its parts of the owner's export of the site in open formats (`liner export all`). */
  exports?(): Promise<ExportPart[]>;
  /** Listeners for other modules' events (loaded on first use). */
  events?(): Promise<Partial<ModuleEvents>>;
  /** Links every public page advertises (the Webmention endpoint). */
  pageLinks?: PageLink[];
  /**
   * Its public pages whose address holds a secret (an emailed token link, a private preview), by
   * path prefix or pattern: such pages are never counted, so the secret is kept nowhere else.
   */
  secretPaths?: (string | RegExp)[];
  /** Kinds of source it follows for the reader (fediverse accounts), loaded when the reader asks. */
  sourceKinds?(): Promise<SourceKind[]>;
  /** A panel on the admin home, for the signed-in user (undefined: nothing to show them). */
  homePanel?(): Promise<(ctx: AppContext, c: Context<AppEnv>) => Promise<Html | undefined>>;
  /** A listener for signed-out page views (first-party counting), made for a context at startup. */
  pageViews?(): Promise<(ctx: AppContext) => Promise<PageViewSink | undefined>>;
  /** Columns of the admin's post list (loaded with the admin). */
  postColumns?(): Promise<PostListColumn[]>;
}

/** The assembled modules, as the shell hands them to routes and services. */
export interface ModuleHost {
  readonly modules: readonly LinerModule[];
  /** Every module's block for a slot, in module order. */
  blocks<S extends SlotName>(slot: S): Promise<Slots[S][]>;
  /** Erase an address's data in every module that keeps some. */
  erase(ctx: AppContext, email: string): Promise<void>;
  /** Every module's parts of the post editor, in module order. */
  editorParts(): Promise<EditorPart<any>[]>;
  /** Every module's parts of the setup form, in module order. */
  setupParts(): Promise<SetupPart<any>[]>;
  /** Every module's checklist items, by `order`. */
  checklist(ctx: AppContext): Promise<ChecklistItem[]>;
  /** Remove every module's demo content; the snapshots by module name (for `restoreDemo`). */
  removeDemo(ctx: AppContext): Promise<Record<string, unknown>>;
  /** Put back what `removeDemo` took, module by module. */
  restoreDemo(ctx: AppContext, snapshots: Record<string, unknown>): Promise<void>;
  /** Every module's parts of the site export, in module order. */
  exports(): Promise<ExportPart[]>;
  /** Tell every listening module; a listener's error is logged, not thrown. */
  emit<E extends EventName>(
    ctx: AppContext,
    event: E,
    ...args: Parameters<ModuleEvents[E]> extends [AppContext, ...infer R] ? R : never
  ): Promise<void>;
  /** Every module's page links, in module order. */
  pageLinks(): PageLink[];
  /** Every module's secret paths (prefixes and patterns). */
  secretPaths(): (string | RegExp)[];
  /** Every module's source kinds for the reader, in module order. */
  sourceKinds(): Promise<SourceKind[]>;
  /** Every module's panel for the admin home, in module order. */
  homePanels(ctx: AppContext, c: Context<AppEnv>): Promise<Html[]>;
  /** One listener for page views that tells every module's (none: undefined, nothing to call). */
  pageViews(ctx: AppContext): Promise<PageViewSink | undefined>;
  /** Every module's columns of the admin's post list, in module order. */
  postColumns(): Promise<PostListColumn[]>;
}

/** Build the host of a module list. */
export function moduleHost(modules: readonly LinerModule[]): ModuleHost {
  let loaded: Promise<Partial<Slots>[]> | undefined;
  return {
    modules,
    async blocks<S extends SlotName>(slot: S) {
      loaded ??= Promise.all(modules.map((m) => m.blocks?.() ?? {})).catch((err) => {
        loaded = undefined; // a failed import is tried again by the next page
        throw err;
      });
      const all = await loaded;
      return all.map((b) => b[slot]).filter((b): b is NonNullable<typeof b> => b !== undefined) as Slots[S][];
    },
    async erase(ctx, email) {
      for (const m of modules) await m.erase?.(ctx, email);
    },
    async editorParts() {
      return (await Promise.all(modules.map((m) => m.editorParts?.() ?? []))).flat();
    },
    async setupParts() {
      return (await Promise.all(modules.map((m) => m.setupParts?.() ?? []))).flat();
    },
    async checklist(ctx) {
      const lists = await Promise.all(modules.map(async (m) => (m.checklist ? (await m.checklist())(ctx) : [])));
      return lists.flat().sort((a, b) => a.order - b.order);
    },
    async removeDemo(ctx) {
      const out: Record<string, unknown> = {};
      // Highest layer first: a module's demo may refer to a lower module's (a list to posts).
      for (const m of [...modules].reverse()) {
        if (!m.demo) continue;
        const snap = await (await m.demo()).remove(ctx);
        if (snap !== undefined) out[m.name] = snap;
      }
      return out;
    },
    async restoreDemo(ctx, snapshots) {
      for (const m of modules) {
        if (m.demo && snapshots[m.name] !== undefined) await (await m.demo()).restore(ctx, snapshots[m.name]);
      }
    },
    async exports() {
      return (await Promise.all(modules.map((m) => m.exports?.() ?? []))).flat();
    },
    async emit(ctx, event, ...args) {
      for (const m of modules) {
        if (!m.events) continue;
        try {
          const listener = (await m.events())[event] as
            | ((ctx: AppContext, ...a: unknown[]) => Promise<void>)
            | undefined;
          await listener?.(ctx, ...args);
        } catch (err) {
          ctx.log.error("module event listener failed", { module: m.name, event, error: String(err) });
        }
      }
    },
    pageLinks() {
      return modules.flatMap((m) => m.pageLinks ?? []);
    },
    secretPaths() {
      return modules.flatMap((m) => m.secretPaths ?? []);
    },
    async sourceKinds() {
      return (await Promise.all(modules.map((m) => m.sourceKinds?.() ?? []))).flat();
    },
    async homePanels(ctx, c) {
      const out: Html[] = [];
      for (const m of modules) {
        const panel = m.homePanel ? await (await m.homePanel())(ctx, c) : undefined;
        if (panel) out.push(panel);
      }
      return out;
    },
    async postColumns() {
      return (await Promise.all(modules.map((m) => m.postColumns?.() ?? []))).flat();
    },
    async pageViews(ctx) {
      const sinks: PageViewSink[] = [];
      for (const m of modules) {
        const sink = m.pageViews ? await (await m.pageViews())(ctx) : undefined;
        if (sink) sinks.push(sink);
      }
      if (!sinks.length) return undefined;
      return sinks.length === 1
        ? sinks[0]
        : (view) => {
            for (const s of sinks) s(view);
          };
    },
  };
}
