import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full collection kept, in percent.
 *
 * Left to itself, V8 picks the factor from how fast the collector is next to the program, and a
 * server streaming an upload collects much faster than it promotes, so it picks the minimum,
 * 1.1. For a live heap of about 50 MB that leaves 5–10 MB of room: less than the young
 * generation, which is all it takes for V8 to start the next full collection as soon as one
 * ends. Half the live heap again (25 MB for 50 MB) is room enough; the cost is a heap of up to
 * 1.5 times what it keeps alive.
 */
const oldGenerationGrowthPercent = 50;

/**
 * Tunes V8's full collections for a process whose work is streaming bytes through.
 *
 * Each 64 KiB socket read of an upload is a fresh buffer, so a 1 GiB PUT allocates 16 384 of
 * them, and with V8's defaults that kept a full collection running nearly all the time: one
 * every 35–50 ms during the upload, started either because the old generation had no room (see
 * oldGenerationGrowthPercent) or by V8's background marking task, which kept starting one
 * although the old generation was far from its limit. Together they cost a third of the
 * upload's speed (1 GiB PUT: 350–400 MB/s with them, 540–710 MB/s without, against 520–610 for
 * a bare node:http server that only hashes and writes). Without the task, a full collection
 * starts when the old generation reaches its limit, as it does anyway when the task is late.
 *
 * V8 reads both flags whenever it decides on a collection, so setting them once the process
 * runs is enough; it must happen before the server's first upload.
 */
export function tuneCollectorForStreaming(): void {
  setFlagsFromString(`--heap-growing-percent=${oldGenerationGrowthPercent}`);
  setFlagsFromString('--no-incremental-marking-task');
}
