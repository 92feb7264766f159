/** Folder trees (pure): nesting comes from OPML, so a folder's view includes its sub-folders. */

export interface FolderNode {
  id: number;
  name: string;
  parent_id: number | null;
  position: number;
}

/** `id` and the ids of every folder below it. Cycles (a corrupt tree) are cut, never looped. */
export function folderAndDescendants(folders: FolderNode[], id: number): number[] {
  const children = new Map<number, number[]>();
  for (const f of folders) {
    if (f.parent_id === null) continue;
    const list = children.get(f.parent_id) ?? [];
    list.push(f.id);
    children.set(f.parent_id, list);
  }
  const seen = new Set<number>([id]);
  const queue = [id];
  while (queue.length) {
    const next = queue.shift() as number;
    for (const c of children.get(next) ?? []) {
      if (seen.has(c)) continue;
      seen.add(c);
      queue.push(c);
    }
  }
  return [...seen];
}

/** A folder with its depth, in display order (parents before children, by position then name). */
export interface FlatFolder extends FolderNode {
  depth: number;
}

/** The tree flattened for display. Folders whose parent is missing are shown at the top level. */
export function flattenFolders(folders: FolderNode[]): FlatFolder[] {
  const ids = new Set(folders.map((f) => f.id));
  const byParent = new Map<number | null, FolderNode[]>();
  for (const f of folders) {
    const parent = f.parent_id !== null && ids.has(f.parent_id) ? f.parent_id : null;
    const list = byParent.get(parent) ?? [];
    list.push(f);
    byParent.set(parent, list);
  }
  const out: FlatFolder[] = [];
  const seen = new Set<number>();
  const walk = (parent: number | null, depth: number) => {
    const list = (byParent.get(parent) ?? []).sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
    for (const f of list) {
      if (seen.has(f.id)) continue;
      seen.add(f.id);
      out.push({ ...f, depth });
      walk(f.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Unread counts per folder, each including its sub-folders' sources. */
export function folderCounts(
  folders: FolderNode[],
  sources: { id: number; folder_id: number | null }[],
  unreadBySource: Map<number, number>,
): Map<number, number> {
  const own = new Map<number, number>();
  for (const s of sources) {
    if (s.folder_id === null) continue;
    own.set(s.folder_id, (own.get(s.folder_id) ?? 0) + (unreadBySource.get(s.id) ?? 0));
  }
  const out = new Map<number, number>();
  for (const f of folders) {
    let n = 0;
    for (const id of folderAndDescendants(folders, f.id)) n += own.get(id) ?? 0;
    out.set(f.id, n);
  }
  return out;
}
