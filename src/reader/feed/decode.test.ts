import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { charsetOf, decodeBytes } from "./decode.ts";

const fixture = (name: string) => fs.readFileSync(fileURLToPath(new URL(`./testdata/${name}`, import.meta.url)));
const bytes = (...b: number[]) => new Uint8Array(b);
const ascii = (s: string) => new TextEncoder().encode(s);

test("ISO-8859-1 declared only in the XML prolog comes out right", () => {
  const { text, encoding } = decodeBytes(fixture("latin1-prolog.xml"));
  assert.equal(encoding, "windows-1252");
  assert.match(text, /<title>Café crème à Noël<\/title>/);
  assert.match(text, /Ñandú, Øre, ¿qué\? 25 °C, ½ £/);
});

test("windows-1251 comes from the HTTP charset; without it the bytes are not read as Cyrillic", () => {
  const withCharset = decodeBytes(fixture("windows-1251.xml"), "application/rss+xml; charset=windows-1251");
  assert.equal(withCharset.encoding, "windows-1251");
  assert.match(withCharset.text, /<title>Новости дня<\/title>/);
  const without = decodeBytes(fixture("windows-1251.xml"), "application/rss+xml");
  assert.doesNotMatch(without.text, /Новости/);
});

test("Shift_JIS from the prolog, UTF-8 and UTF-16 from their byte order marks", () => {
  const sjis = decodeBytes(fixture("shift_jis.xml"));
  assert.equal(sjis.encoding, "shift_jis");
  assert.match(sjis.text, /日本語のブログ/);
  const bom8 = decodeBytes(fixture("utf8-bom.xml"));
  assert.equal(bom8.encoding, "utf-8");
  assert.match(bom8.text, /^<\?xml/, "the BOM is not part of the text");
  assert.match(bom8.text, /Ünïcödé ✓ with BOM/, "the BOM wins over the prolog's ISO-8859-1");
  const bom16 = decodeBytes(fixture("utf16-bom.xml"));
  assert.equal(bom16.encoding, "utf-16le");
  assert.match(bom16.text, /UTF-16 Ελληνικά/);
});

test("order: BOM, then HTTP charset, then the document's declaration, then UTF-8", () => {
  const latin1Bytes = bytes(0x3c, 0x61, 0x3e, 0xe9, 0x3c, 0x2f, 0x61, 0x3e); // <a>é</a> in Latin-1
  assert.equal(decodeBytes(latin1Bytes, "text/xml; charset=iso-8859-1").text, "<a>é</a>");
  // BOM beats a contradicting HTTP charset.
  const bomThenUtf8 = bytes(0xef, 0xbb, 0xbf, 0xc3, 0xa9);
  assert.deepEqual(decodeBytes(bomThenUtf8, "text/xml; charset=windows-1251"), { text: "é", encoding: "utf-8" });
  // HTTP beats the prolog.
  const prolog = ascii('<?xml version="1.0" encoding="windows-1251"?><a>');
  assert.equal(decodeBytes(prolog, 'text/xml; charset="utf-8"').encoding, "utf-8");
  assert.equal(decodeBytes(prolog).encoding, "windows-1251");
  // An unknown label is skipped: the next source decides.
  assert.equal(decodeBytes(prolog, "text/xml; charset=x-no-such-thing").encoding, "windows-1251");
  assert.equal(decodeBytes(ascii('<?xml version="1.0" encoding="klingon"?><a/>')).encoding, "utf-8");
});

test("HTML <meta charset> and http-equiv declarations are read for pages", () => {
  const koi = new Uint8Array([...ascii('<html><head><meta charset="koi8-r"></head><body>'), 0xf0, 0xd2, 0xc9]);
  assert.equal(decodeBytes(koi).encoding, "koi8-r");
  assert.match(decodeBytes(koi).text, /При$/);
  const equiv = ascii('<meta http-equiv="Content-Type" content="text/html; charset=EUC-JP">');
  assert.equal(decodeBytes(equiv).encoding, "euc-jp");
  const gb = ascii('<meta charset="gb2312">');
  assert.equal(decodeBytes(gb).encoding, "gbk");
});

test("invalid UTF-8 without a declaration falls back to windows-1252; UTF-16 declared in ASCII bytes is UTF-8", () => {
  assert.deepEqual(decodeBytes(bytes(0x63, 0x61, 0x66, 0xe9)), { text: "café", encoding: "windows-1252" });
  assert.deepEqual(decodeBytes(ascii("plain")), { text: "plain", encoding: "utf-8" });
  assert.equal(decodeBytes(ascii('<?xml version="1.0" encoding="UTF-16"?><a/>')).encoding, "utf-8");
  assert.equal(decodeBytes(new Uint8Array(0)).text, "");
});

test("charsetOf reads quoted and bare charset parameters", () => {
  assert.equal(charsetOf("text/xml; charset=UTF-8"), "UTF-8");
  assert.equal(charsetOf('application/rss+xml;charset="windows-1251"; q=1'), "windows-1251");
  assert.equal(charsetOf("text/html"), null);
  assert.equal(charsetOf(null), null);
});
