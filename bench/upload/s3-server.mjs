#!/usr/bin/env node
// s3rver — a real S3-protocol server — in a process of its own, so that its work does not share
// an event loop with the benchmark's client. Prints `{ port }` on stdout once it listens, keeps
// its objects under the folder given as its argument, and holds one bucket, `conveyor-bench`.
import S3rver from 's3rver';

const directory = process.argv[2];
if (!directory) throw new Error('usage: s3-server.mjs <folder>');
const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: 'conveyor-bench' }] });
const { port } = await server.run();
console.log(JSON.stringify({ port }));
process.on('SIGTERM', () => server.close().finally(() => process.exit(0)));
