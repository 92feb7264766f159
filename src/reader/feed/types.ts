/**
 * The normalized feed: what every format (RSS 0.9x/2.0, RSS 1.0/RDF, Atom 0.3/1.0, JSON Feed
 * 1.0/1.1) becomes after decoding, parsing, URL resolution, date parsing and sanitizing.
 * Dates are ISO 8601 UTC strings or null; titles are plain text; summary and content are
 * sanitized HTML; every URL is absolute.
 */

export interface FeedAuthor {
  name: string | null;
  email: string | null;
  url: string | null;
}

export interface FeedEnclosure {
  url: string;
  type: string | null;
  length: number | null;
}

export interface FeedItem {
  id: string | null;
  title: string;
  link: string | null;
  published: string | null;
  updated: string | null;
  authors: FeedAuthor[];
  summary: string | null;
  content: string | null;
  categories: string[];
  enclosures: FeedEnclosure[];
  comments: string | null;
  /** Beyond the CLI's shape: Atom link rel="via". */
  via: string | null;
  /** Beyond the CLI's shape: itunes:image / media thumbnail / JSON Feed image. */
  image: string | null;
  /** Beyond the CLI's shape: itunes:duration in seconds. */
  durationSeconds: number | null;
  /** Beyond the CLI's shape: the id, else the link, else a hash of title and content. */
  dedupeKey: string;
}

/** "cdf": Microsoft's Channel Definition Format. */
export type FeedFormat = "rss" | "atom" | "rdf" | "json" | "cdf";

export interface Feed {
  format: FeedFormat;
  title: string;
  link: string | null;
  description: string | null;
  language: string | null;
  updated: string | null;
  authors: FeedAuthor[];
  image: string | null;
  /** Beyond the CLI's shape: true when the feed is a podcast (itunes tags or audio enclosures). */
  isPodcast: boolean;
  /** Beyond the CLI's shape: RSS <ttl> in minutes, when given. */
  ttlMinutes: number | null;
  items: FeedItem[];
}

/** The input could not be read as a feed; the message is user-facing and says why. */
export class FeedParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "FeedParseError";
  }
}
