/**
 * Folders for sources, nested to any depth (OPML keeps the nesting). Deleting a folder never
 * unfollows anything: its sources and sub-folders move up to its parent.
 */
import type { AppContext } from "../../lib/context.ts";
import { NotFoundError, ValidationError } from "../../lib/errors.ts";
import { type FolderRow, sourceStore } from "./store.ts";

const MAX_NAME = 100;

function cleanName(raw: string): string {
  const name = raw.trim().replace(/\s+/g, " ");
  if (!name) throw new ValidationError("The folder name is required.", { field: "name" });
  if (name.length > MAX_NAME) {
    throw new ValidationError(`The folder name must be at most ${MAX_NAME} characters.`, { field: "name" });
  }
  return name;
}

/** A folder by id, else NotFoundError. */
export async function getFolder(ctx: AppContext, id: number): Promise<FolderRow> {
  const f = await sourceStore(ctx.db).folderById(id);
  if (!f) throw new NotFoundError("That folder does not exist (any more).");
  return f;
}

/** Refuse a sibling with the same name (case-insensitive): two "Tech" folders side by side confuse. */
async function checkUnique(ctx: AppContext, name: string, parentId: number | null, selfId?: number): Promise<void> {
  const all = await sourceStore(ctx.db).folders();
  const clash = all.find(
    (f) => f.parent_id === parentId && f.id !== selfId && f.name.toLowerCase() === name.toLowerCase(),
  );
  if (clash) throw new ValidationError(`There is already a folder “${clash.name}” there.`, { field: "name" });
}

/** Refuse a parent that does not exist, or that is the folder itself or inside it (a cycle). */
async function checkParent(ctx: AppContext, parentId: number | null, selfId?: number): Promise<void> {
  if (parentId === null) return;
  const all = new Map((await sourceStore(ctx.db).folders()).map((f) => [f.id, f]));
  if (!all.has(parentId)) throw new ValidationError("The parent folder does not exist.", { field: "parent" });
  for (let at: number | null = parentId; at !== null; at = all.get(at)?.parent_id ?? null) {
    if (at === selfId) {
      throw new ValidationError("A folder cannot go inside itself or one of its sub-folders.", { field: "parent" });
    }
  }
}

/** Create a folder (at the top, or inside `parentId`). */
export async function createFolder(
  ctx: AppContext,
  input: { name: string; parentId?: number | null },
): Promise<FolderRow> {
  const name = cleanName(input.name);
  const parentId = input.parentId ?? null;
  await checkParent(ctx, parentId);
  await checkUnique(ctx, name, parentId);
  return sourceStore(ctx.db).insertFolder({
    name,
    parent_id: parentId,
    position: 0,
    created_at: ctx.now().toISOString(),
  });
}

/** Rename a folder and/or move it under another parent (null: to the top). */
export async function updateFolder(
  ctx: AppContext,
  id: number,
  input: { name?: string; parentId?: number | null },
): Promise<FolderRow> {
  const f = await getFolder(ctx, id);
  const name = input.name === undefined ? f.name : cleanName(input.name);
  const parentId = input.parentId === undefined ? f.parent_id : input.parentId;
  await checkParent(ctx, parentId, id);
  await checkUnique(ctx, name, parentId, id);
  await sourceStore(ctx.db).updateFolder(id, { name, parent_id: parentId });
  return getFolder(ctx, id);
}

/** Delete a folder; what was in it moves up one level. */
export async function deleteFolder(ctx: AppContext, id: number): Promise<FolderRow> {
  const f = await getFolder(ctx, id);
  await sourceStore(ctx.db).deleteFolder(id);
  return f;
}

/** Folders in tree order with their depth and full path ("Tech / Web"), for pickers. */
export async function folderChoices(ctx: AppContext): Promise<{ id: number; label: string; depth: number }[]> {
  const folders = await sourceStore(ctx.db).folders();
  const out: { id: number; label: string; depth: number }[] = [];
  const walk = (parentId: number | null, prefix: string, depth: number) => {
    for (const f of folders.filter((x) => x.parent_id === parentId)) {
      const label = prefix ? `${prefix} / ${f.name}` : f.name;
      out.push({ id: f.id, label, depth });
      walk(f.id, label, depth + 1);
    }
  };
  walk(null, "", 0);
  return out;
}
