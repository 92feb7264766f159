/**
 * Reading a response body: streamed, decompressed (gzip, deflate, br, zstd) and capped, counting both
 * the bytes on the wire and the decoded bytes so that neither a huge body nor a zip bomb gets far.
 */
import type { IncomingMessage } from "node:http";
import type { Transform } from "node:stream";
import zlib from "node:zlib";

/** Internal: the body grew past the cap. */
export class BodyTooLargeError extends Error {
  readonly bytes: number;
  constructor(bytes: number) {
    super(`body larger than ${bytes} bytes`);
    this.bytes = bytes;
  }
}

/** Internal: the body could not be decoded (bad compression, unknown encoding, truncated). */
export class BodyDecodeError extends Error {}

const hasZstd = typeof zlib.createZstdDecompress === "function";

/** The Accept-Encoding the fetcher sends: only what it can decode. */
export const ACCEPT_ENCODING = hasZstd ? "gzip, deflate, br, zstd" : "gzip, deflate, br";

// Lenient like browsers: a truncated compressed body yields what arrived instead of an error.
const ZLIB_OPTS = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
const BROTLI_OPTS = { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH };

function decoder(encoding: string, firstByte: number | undefined): Transform {
  switch (encoding) {
    case "gzip":
    case "x-gzip":
      return zlib.createGunzip(ZLIB_OPTS);
    case "deflate":
      // "deflate" should be zlib-wrapped, but some servers send raw deflate; the zlib header tells.
      return firstByte === undefined || (firstByte & 0x0f) === 8
        ? zlib.createInflate(ZLIB_OPTS)
        : zlib.createInflateRaw(ZLIB_OPTS);
    case "br":
      return zlib.createBrotliDecompress(BROTLI_OPTS);
    case "zstd":
      if (hasZstd) return zlib.createZstdDecompress();
  }
  throw new BodyDecodeError(`unsupported Content-Encoding "${encoding}"`);
}

/** The codings applied to the body, in the order they were applied ("identity" dropped). */
export function contentCodings(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s && s !== "identity");
}

/**
 * Read, decode and collect `res`'s body, failing with BodyTooLargeError as soon as the wire bytes or
 * the decoded bytes pass `maxBytes`. Counting happens in synchronous 'data' handlers so that a
 * decompressor is stopped within one output chunk (zlib checks `destroyed` between chunks).
 */
export function readBody(res: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const codings = contentCodings(res.headers["content-encoding"]);
    const streams: Transform[] = [];
    const chunks: Buffer[] = [];
    let wire = 0;
    let size = 0;
    let done = false;
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      res.destroy();
      for (const s of streams) s.destroy();
      reject(err);
    };
    const collect = (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) return fail(new BodyTooLargeError(maxBytes));
      chunks.push(chunk);
    };
    const finish = () => {
      if (done) return;
      done = true;
      // Its own ArrayBuffer (not a slice of a socket or pool buffer), so `body.buffer` is exactly the body.
      const body = Buffer.allocUnsafeSlow(size);
      let offset = 0;
      for (const chunk of chunks) offset += chunk.copy(body, offset);
      resolve(body);
    };
    const decodeError = (err: Error) =>
      fail(new BodyDecodeError(`could not decode the ${codings.join(", ")} body (${err.message})`, { cause: err }));

    // Built on the first chunk, so raw deflate can be told from zlib-wrapped deflate.
    let head: Transform | null = null;
    const build = (firstByte: number | undefined): Transform => {
      // Codings are listed in the order applied, so they are undone last to first.
      for (const [i, coding] of [...codings].reverse().entries())
        streams.push(decoder(coding, i === 0 ? firstByte : undefined));
      for (let i = 0; i < streams.length; i++) {
        streams[i].on("error", decodeError);
        if (i + 1 < streams.length) streams[i].pipe(streams[i + 1]);
      }
      const last = streams[streams.length - 1];
      last.on("data", collect);
      last.on("end", finish);
      streams[0].on("drain", () => res.resume());
      return streams[0];
    };

    res.on("data", (chunk: Buffer) => {
      if (done) return;
      wire += chunk.length;
      if (wire > maxBytes) return fail(new BodyTooLargeError(maxBytes));
      if (!codings.length) return collect(chunk);
      try {
        head ??= build(chunk[0]);
      } catch (err) {
        return fail(err as Error);
      }
      if (!head.write(chunk)) res.pause();
    });
    res.on("end", () => {
      if (!codings.length) return finish();
      try {
        head ??= build(undefined);
      } catch (err) {
        return fail(err as Error);
      }
      head.end();
    });
    res.on("error", (err) => fail(err));
    res.on("close", () => {
      if (!res.complete) fail(new BodyDecodeError("the connection closed before the body was complete"));
    });
  });
}
