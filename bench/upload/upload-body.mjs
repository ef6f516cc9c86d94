// The body the benchmark uploads: one random mebibyte repeated, so that gigabytes can be sent
// without holding them, and their SHA-256 known before the clock starts.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

const chunkBytes = 2 ** 20;

/**
 * A body of `totalBytes` (a whole number of MiB) and its SHA-256. The content opens with a CSV
 * header and is CSV throughout (hex rows), so the server recognises it as a file it accepts.
 * @example const body = makeUploadBody(2 ** 30); pipeline(body.stream(), request)
 */
export function makeUploadBody(totalBytes) {
  if (totalBytes % chunkBytes !== 0) throw new Error(`${totalBytes} is not a whole number of MiB`);
  const chunk = csvChunk();
  const chunks = totalBytes / chunkBytes;
  const digest = createHash('sha256');
  for (let i = 0; i < chunks; i++) digest.update(chunk);
  return {
    size: totalBytes,
    sha256: digest.digest('hex'),
    /** A fresh stream of the whole body each call. */
    stream() {
      let sent = 0;
      return new Readable({
        highWaterMark: 4 * chunkBytes,
        read() {
          this.push(sent++ < chunks ? chunk : null);
        },
      });
    },
  };
}

/** One MiB of `id,value` rows ending in a newline, so that chunks join into a valid CSV. */
function csvChunk() {
  const header = 'id,value\n';
  const rowBody = 61; // `<8 hex>,<52 hex>` is 61 characters and a newline makes 62
  const rows = [];
  let length = header.length;
  for (let id = 0; length + rowBody + 1 <= chunkBytes; id++) {
    const row = `${id.toString(16).padStart(8, '0')},${randomBytes(26).toString('hex')}\n`;
    rows.push(row);
    length += row.length;
  }
  const text = header + rows.join('');
  // Pad the last row's value so that the chunk is exactly one MiB.
  const padding = chunkBytes - Buffer.byteLength(text);
  const chunk = Buffer.from(text.slice(0, -1) + '0'.repeat(padding) + '\n');
  if (chunk.length !== chunkBytes) throw new Error(`chunk is ${chunk.length} bytes`);
  return chunk;
}
