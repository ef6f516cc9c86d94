#!/usr/bin/env node
// The baseline the upload figures are compared with: a bare node:http server that does what an
// upload fundamentally costs — hash the body and write it to a file — and nothing else. It
// prints its port on stdout and writes into the folder given as its argument; each answer names
// the file it wrote, which the benchmark removes once the upload is measured.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const folder = process.argv[2];
if (!folder) throw new Error('usage: raw-sink.mjs <folder>');
let received = 0;

const server = createServer(async (request, response) => {
  const name = `upload-${received++}`;
  const path = join(folder, name);
  const digest = createHash('sha256');
  let size = 0;
  const hashing = new Transform({
    transform(chunk, _encoding, done) {
      digest.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(request, hashing, createWriteStream(path, { flags: 'wx' }));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name, size, sha256: digest.digest('hex') }));
  } catch (error) {
    response.writeHead(500).end(String(error));
  }
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
