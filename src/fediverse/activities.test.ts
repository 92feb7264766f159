// test lanes: sqlite only
/**
 * The plain activity fixtures (Follow, Undo, Like, Announce, Delete, Update, Flag, Block, Move) as
 * Fedify parses them: the type, who did it and to what, and what is embedded (read without a
 * request) rather than only linked. The inbox handlers are tested on these shapes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Activity,
  Announce,
  Block,
  Delete,
  Flag,
  Follow,
  Like,
  Move,
  Note,
  Tombstone,
  Undo,
  Update,
} from "@fedify/vocab";
import { readRemoteNote } from "./remote.ts";
import { parsed } from "./testdata/load.ts";

const ALICE = "https://mastodon.example/users/alice";
const OWNER = "https://liner.example/ap/actor/owner";
const POST = "https://liner.example/notes/columnar-thinking";

async function activity<T extends Activity>(name: string, type: new (...args: never[]) => T) {
  const p = await parsed(name);
  assert.ok(p.object instanceof type, `${name} is a ${type.name}`);
  return { ...p, activity: p.object as T };
}

test("Follow, Like, Announce, Block: actor and object ids, nothing fetched", async () => {
  const cases: [string, new (...args: never[]) => Activity, string][] = [
    ["follow.json", Follow, OWNER],
    ["like.json", Like, POST],
    ["announce.json", Announce, POST],
    ["block.json", Block, OWNER],
  ];
  for (const [name, type, object] of cases) {
    const { activity: a, requested } = await activity(name, type);
    assert.deepEqual([a.actorId?.href, a.objectId?.href], [ALICE, object], name);
    assert.ok(a.id?.href.startsWith("https://mastodon.example/"), name);
    assert.deepEqual(requested, [], name);
  }
  const { activity: boost } = await activity("announce.json", Announce);
  assert.deepEqual(
    boost.ccIds.map((u) => u.href),
    [OWNER, `${ALICE}/followers`],
  );
});

test("Undo(Follow): the Follow is embedded and read without a request", async () => {
  const { activity: undo, opts, requested } = await activity("undo-follow.json", Undo);
  const follow = await undo.getObject(opts);
  assert.ok(follow instanceof Follow);
  assert.equal(follow.id?.href, "https://mastodon.example/0b3c9a1e-7f2d-4c8e-9a5b-1d2e3f4a5b6c");
  assert.deepEqual([follow.actorId?.href, follow.objectId?.href], [ALICE, OWNER]);
  assert.deepEqual(requested, []);
});

test("Delete: a Tombstone (Mastodon) or a bare id (Akkoma); both name the deleted object", async () => {
  const { activity: withTombstone, opts } = await activity("delete-tombstone.json", Delete);
  const tombstone = await withTombstone.getObject(opts);
  assert.ok(tombstone instanceof Tombstone);
  assert.equal(tombstone.id?.href, `${ALICE}/statuses/113456789012345678`);
  const { activity: bare } = await activity("delete-bare.json", Delete);
  assert.equal(bare.objectId?.href, "https://akkoma.example/objects/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b");
  assert.equal(bare.actorId?.href, "https://akkoma.example/users/linkdigest");
});

test("Update(Note): Mastodon's edit carries the whole Note with `updated`", async () => {
  const { activity: update, opts, loader } = await activity("update-note.json", Update);
  const note = await update.getObject(opts);
  assert.ok(note instanceof Note);
  const r = await readRemoteNote(note, { documentLoader: loader });
  assert.deepEqual([r.published, r.updated], ["2025-02-03T09:15:42.000Z", "2025-02-03T09:30:00.000Z"]);
  assert.match(r.text, /\(edited: it was 4\.2×\)/);
  assert.deepEqual([r.contentWarning, r.sensitive], [null, false]);
});

test("Flag: Mastodon's report names the reported account and posts and says why", async () => {
  const { activity: flag } = await activity("flag.json", Flag);
  assert.equal(flag.actorId?.href, "https://mastodon.example/actor", "sent by the server's instance actor");
  assert.deepEqual(
    flag.objectIds.map((u) => u.href),
    [OWNER, POST],
  );
  assert.equal(String(flag.content), "Spam links in replies");
});

test("Move: an account moving to a new home (object: the old account, target: the new)", async () => {
  const { activity: move } = await activity("move.json", Move);
  assert.deepEqual(
    [move.actorId?.href, move.objectId?.href, move.targetId?.href],
    [ALICE, ALICE, "https://social.example/users/alice"],
  );
});
