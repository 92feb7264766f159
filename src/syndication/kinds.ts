/** Kinds a copy can be made of (pages and digests stay home). */
export const SYNDICATED_KINDS = ["article", "presentation", "note", "link", "event"];

/** The platforms' names as people write them. */
export const PLATFORM_NAMES: Record<string, string> = {
  bluesky: "Bluesky",
  mastodon: "Mastodon",
  linkedin: "LinkedIn",
};
