/** Kinds a copy can be made of (pages and digests stay home). */
export const SYNDICATED_KINDS = ["article", "presentation", "note", "link", "event"];
