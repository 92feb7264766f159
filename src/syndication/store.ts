/** SQL of syndication: the owner's accounts elsewhere and the copies of posts sent to them. */
import type { Insertable, Selectable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { SyndAccountsTable, SyndCopiesTable } from "../lib/db/schema.ts";

export type AccountRow = Selectable<SyndAccountsTable>;
export type CopyRow = Selectable<SyndCopiesTable>;

/** The owner's choice of one target for a post (the editor's). */
export interface Choice {
  post_id: number;
  account_id: number;
  status: "queued" | "off";
  text: string;
  send_at: string | null;
  content_warning: string | null;
  as_thread: number;
}

export function accountStore(db: Db) {
  const k = db.kysely;
  return {
    async add(row: Insertable<SyndAccountsTable>): Promise<number> {
      const r = await k.insertInto("synd_accounts").values(row).returning("id").executeTakeFirstOrThrow();
      return r.id;
    },
    /** The connected accounts (not those removed). */
    list: (): Promise<AccountRow[]> =>
      k.selectFrom("synd_accounts").selectAll().where("status", "!=", "removed").orderBy("id").execute(),
    /** Every account, those removed too (their copies still name them). */
    all: (): Promise<AccountRow[]> => k.selectFrom("synd_accounts").selectAll().orderBy("id").execute(),
    byId: (id: number): Promise<AccountRow | undefined> =>
      k.selectFrom("synd_accounts").selectAll().where("id", "=", id).executeTakeFirst(),
    find: (platform: string, serviceUrl: string, handle: string): Promise<AccountRow | undefined> =>
      k
        .selectFrom("synd_accounts")
        .selectAll()
        .where("platform", "=", platform)
        .where("service_url", "=", serviceUrl)
        .where("handle", "=", handle)
        .executeTakeFirst(),
    async checked(id: number, status: string, error: string | null, at: string): Promise<void> {
      await k
        .updateTable("synd_accounts")
        .set({ status, last_error: error, checked_at: at })
        .where("id", "=", id)
        .execute();
    },
    async polled(id: number, p: { cursor: string | null; intervalS: number; nextAt: string }): Promise<void> {
      await k
        .updateTable("synd_accounts")
        .set({ poll_cursor: p.cursor, poll_interval_s: p.intervalS, next_poll_at: p.nextAt })
        .where("id", "=", id)
        .execute();
    },
    /** A new credential for an account (signed in again): working again. */
    async reseal(id: number, sealed: string, hint: string, at: string): Promise<void> {
      await k
        .updateTable("synd_accounts")
        .set({ secret_sealed: sealed, secret_hint: hint, status: "ok", last_error: null, checked_at: at })
        .where("id", "=", id)
        .execute();
    },
    async setKinds(id: number, kinds: string): Promise<void> {
      await k.updateTable("synd_accounts").set({ default_kinds: kinds }).where("id", "=", id).execute();
    },
    /**
     * Remove an account: its credential is forgotten and it is listed no more, but the row stays
     * so its copies keep their platform (and connecting the same account again takes them back).
     */
    async remove(id: number): Promise<boolean> {
      const r = await k
        .updateTable("synd_accounts")
        .set({ status: "removed", secret_sealed: "", secret_hint: "", last_error: null, next_poll_at: null })
        .where("id", "=", id)
        .where("status", "!=", "removed")
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}

export function copyStore(db: Db) {
  const k = db.kysely;
  return {
    of: (postId: number, accountId: number): Promise<CopyRow | undefined> =>
      k
        .selectFrom("synd_copies")
        .selectAll()
        .where("post_id", "=", postId)
        .where("account_id", "=", accountId)
        .executeTakeFirst(),
    /** The sent copy on an account with this remote id (a status id, an at:// URI). */
    byRemote: (accountId: number, remoteId: string): Promise<CopyRow | undefined> =>
      k
        .selectFrom("synd_copies")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("remote_id", "=", remoteId)
        .executeTakeFirst(),
    /** An account's copies sent since `at`. */
    sentSince: (accountId: number, at: string): Promise<CopyRow[]> =>
      k
        .selectFrom("synd_copies")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("status", "=", "sent")
        .where("sent_at", ">=", at)
        .execute(),
    ofPost: (postId: number): Promise<CopyRow[]> =>
      k.selectFrom("synd_copies").selectAll().where("post_id", "=", postId).orderBy("id").execute(),
    /** The copy's row, made once: a second call (a double click, a retry) finds the first. */
    async ensure(row: Insertable<SyndCopiesTable>): Promise<CopyRow> {
      await k
        .insertInto("synd_copies")
        .values(row)
        .onConflict((oc) => oc.columns(["post_id", "account_id"]).doNothing())
        .execute();
      return (await this.of(row.post_id, row.account_id)) as CopyRow;
    },
    /** Take a copy for sending; false when another process has it or it went already. */
    async take(id: number, at: string): Promise<boolean> {
      const r = await k
        .updateTable("synd_copies")
        .set((eb) => ({ status: "sending", attempts: eb("attempts", "+", 1), updated_at: at }))
        .where("id", "=", id)
        .where("status", "in", ["queued", "failed", "off"])
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /** A copy left "sending" since before `cutoff` (its process died) marked failed; false when it moved on. */
    async unstick(id: number, cutoff: string, error: string, at: string): Promise<boolean> {
      const r = await k
        .updateTable("synd_copies")
        .set({ status: "failed", last_error: error, updated_at: at })
        .where("id", "=", id)
        .where("status", "=", "sending")
        .where("updated_at", "<=", cutoff)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /**
     * The owner's choice for a post's account: made, or changed unless it went already. A copy
     * deleted there may be chosen again: it starts afresh (a new time, so a new idempotency key).
     */
    async choose(row: Choice, at: string): Promise<void> {
      await k
        .insertInto("synd_copies")
        .values({ ...row, created_at: at, updated_at: at })
        .onConflict((oc) =>
          oc
            .columns(["post_id", "account_id"])
            .doUpdateSet((eb) => ({
              status: row.status,
              text: row.text,
              send_at: row.send_at,
              content_warning: row.content_warning,
              as_thread: row.as_thread,
              updated_at: at,
              created_at: eb
                .case()
                .when("synd_copies.status", "=", "deleted")
                .then(at)
                .else(eb.ref("synd_copies.created_at"))
                .end(),
            }))
            .where("synd_copies.status", "in", ["queued", "failed", "off", "deleted"]),
        )
        .execute();
    },
    /** A sent copy changed there: its new text. */
    async revised(id: number, text: string, at: string): Promise<void> {
      await k
        .updateTable("synd_copies")
        .set({ text, last_error: null, sent_at: at, updated_at: at })
        .where("id", "=", id)
        .execute();
    },
    /** A sent copy deleted there (its URL is kept no more: the post stops linking to it). */
    async deleted(id: number, at: string): Promise<void> {
      await k
        .updateTable("synd_copies")
        .set({ status: "deleted", url: null, remote_id: null, remote_more: null, last_error: null, updated_at: at })
        .where("id", "=", id)
        .where("status", "=", "sent")
        .execute();
    },
    /** Why changing or deleting a sent copy failed (it stays sent). */
    async reviseFailed(id: number, error: string, at: string): Promise<void> {
      await k
        .updateTable("synd_copies")
        .set({ last_error: error.slice(0, 1000), updated_at: at })
        .where("id", "=", id)
        .execute();
    },
    /** A post's copies waiting to go. */
    waiting: (postId: number): Promise<CopyRow[]> =>
      k.selectFrom("synd_copies").selectAll().where("post_id", "=", postId).where("status", "=", "queued").execute(),
    byId: (id: number): Promise<CopyRow | undefined> =>
      k.selectFrom("synd_copies").selectAll().where("id", "=", id).executeTakeFirst(),
    /** Sent: where, its id there (and a thread's other records), and the text that went. */
    async sent(id: number, url: string, remoteId: string, at: string, more: string[], text: string): Promise<void> {
      await k
        .updateTable("synd_copies")
        .set({
          status: "sent",
          text,
          url,
          remote_id: remoteId,
          remote_more: more.length ? more.join(" ") : null,
          last_error: null,
          sent_at: at,
          updated_at: at,
        })
        .where("id", "=", id)
        .execute();
    },
    async failed(id: number, error: string, at: string): Promise<void> {
      await k
        .updateTable("synd_copies")
        .set({ status: "failed", last_error: error.slice(0, 1000), updated_at: at })
        .where("id", "=", id)
        .execute();
    },
  };
}

/** Syndication's settings (its own table). */
export function syndSettings(db: Db) {
  const k = db.kysely;
  return {
    get: async (name: string): Promise<string | undefined> =>
      (await k.selectFrom("synd_settings").select("value").where("name", "=", name).executeTakeFirst())?.value,
    async put(name: string, value: string): Promise<void> {
      await k
        .insertInto("synd_settings")
        .values({ name, value })
        .onConflict((oc) => oc.column("name").doUpdateSet({ value }))
        .execute();
    },
  };
}
