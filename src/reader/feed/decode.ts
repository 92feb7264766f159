/**
 * Bytes → text for feeds and pages. The encoding is taken, in this order, from a byte order mark,
 * the HTTP charset, the XML prolog's encoding (or an HTML <meta charset>), else UTF-8, and the
 * bytes are decoded with the WHATWG TextDecoder (so ISO-8859-1 is read as windows-1252, its
 * superset, as browsers do). Pure.
 */

export interface Decoded {
  text: string;
  /** The WHATWG name of the encoding used, e.g. "utf-8", "windows-1252", "shift_jis". */
  encoding: string;
}

/** A TextDecoder for `label`, or null when the label is unknown. */
function decoderFor(label: string | null | undefined): TextDecoder | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim());
  } catch {
    return null;
  }
}

/** The charset parameter of a Content-Type header value. */
export function charsetOf(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(contentType);
  return (m?.[1] ?? m?.[2] ?? "").trim() || null;
}

/** The encoding declared inside the document: XML prolog, else <meta charset> / http-equiv. */
function declaredEncoding(bytes: Uint8Array): string | null {
  // The declaration is ASCII and near the top: read the first 1 KiB byte for byte (as the HTML
  // prescan does) so no multi-byte decoding can hide it.
  const head = String.fromCharCode(...bytes.subarray(0, 1024));
  const prolog = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  if (prolog) return prolog[1];
  if (/^\s*<\?xml\s/.test(head)) return null;
  const meta = /<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head);
  return meta ? meta[1] : null;
}

function decode(decoder: TextDecoder, bytes: Uint8Array): Decoded {
  return { text: decoder.decode(bytes), encoding: decoder.encoding };
}

/**
 * Decode `bytes` using the first encoding found: BOM, `contentType`'s charset, the document's
 * own declaration, UTF-8. An unknown label is skipped (the next source decides). When UTF-8 is
 * chosen but the bytes are not valid UTF-8, windows-1252 is used instead: feeds served with a
 * default "charset=utf-8" that are really Latin-1 are common, and this keeps their accents.
 */
export function decodeBytes(bytes: Uint8Array, contentType?: string | null): Decoded {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return decode(new TextDecoder("utf-8"), bytes);
  if (b0 === 0xfe && b1 === 0xff) return decode(new TextDecoder("utf-16be"), bytes);
  if (b0 === 0xff && b1 === 0xfe) return decode(new TextDecoder("utf-16le"), bytes);

  let decoder = decoderFor(charsetOf(contentType));
  if (!decoder) {
    // UTF-16 without a BOM still starts with "<" as two bytes.
    if (b0 === 0x3c && b1 === 0x00 && b2 === 0x3f) decoder = new TextDecoder("utf-16le");
    else if (b0 === 0x00 && b1 === 0x3c && bytes[3] === 0x3f) decoder = new TextDecoder("utf-16be");
    else {
      decoder = decoderFor(declaredEncoding(bytes));
      // An ASCII-compatible document that declares UTF-16 is not UTF-16 (it has no BOM): UTF-8.
      if (decoder?.encoding.startsWith("utf-16")) decoder = null;
    }
  }
  if (decoder && decoder.encoding !== "utf-8") return decode(decoder, bytes);
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return decode(new TextDecoder("windows-1252"), bytes);
  }
}
