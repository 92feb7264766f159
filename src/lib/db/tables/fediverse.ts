/** Table types: Fedify's key–value store (fediverse). */

export interface FediKvTable {
  /** The key: Fedify's array of strings, as JSON text. */
  key: string;
  /** JSON. */
  value: string;
  /** ISO time after which the entry counts as absent (a TTL); null: kept. */
  expires_at: string | null;
}
