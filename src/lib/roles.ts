/** Staff roles and who is acting: shared by auth (which signs people in) and every module's admin pages. */
import type { Role } from "./db/schema.ts";

export type { Role };

const rank: Record<Role, number> = { author: 1, editor: 2, owner: 3 };

/** True if `role` is at least `min`. */
export function hasRole(role: Role, min: Role): boolean {
  return rank[role] >= rank[min];
}

/** Who is acting. `null` id means the system (CLI, importer, scheduler). */
export interface Actor {
  id: number | null;
  role: Role;
}

/** The system acting on its own behalf (CLI, importer, scheduler), with the owner's rights. */
export const systemActor: Actor = { id: null, role: "owner" };
