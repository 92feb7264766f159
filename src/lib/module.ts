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
import type { Hono } from "hono";
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
   * for a server told its host and port by flags), then `config`, then `overrides`.
   */
  openContext(overrides?: Partial<Config>, envOverride?: NodeJS.ProcessEnv): Promise<AppContext>;
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
  };
}
