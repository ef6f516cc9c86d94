import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { PluginError } from '@conveyor/contracts';
import { cancelledError } from './cancellation.js';
import { checkPixelLimit, invalidInput } from './limits.js';
import { withoutOpaqueAlpha, type RawImage } from './raw-image.js';

/**
 * sharp's libheif has no HEVC decoder (only AV1, for AVIF), so HEIC goes through heic-decode:
 * libheif and libde265 compiled to WebAssembly. That decoder works synchronously, so it runs in
 * a worker thread: the event loop stays free to answer a cancel, and a cancel or a timeout can
 * stop it for real by terminating the thread.
 */
const heicDecodePath = createRequire(import.meta.url).resolve('heic-decode');

/** Runs inside the worker (CommonJS, as heic-decode is): decodes and sends back the RGBA pixels, moved rather than copied. */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const decode = require(workerData.modulePath);
decode({ buffer: workerData.bytes }).then(
  ({ width, height, data }) => {
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    parentPort.postMessage({ width, height, pixels }, [pixels.buffer]);
  },
  (error) => parentPort.postMessage({ error: String((error && error.message) || error) }),
);
`;

interface DecodeSettings {
  format: 'heic' | 'heif';
  maxPixels: number;
  signal: AbortSignal;
  /** Stops the decode after this long; zero or Infinity for no limit. */
  timeoutMs: number;
}

type WorkerReply = { width: number; height: number; pixels: Uint8Array } | { error: string };

/** Decodes the primary image of a HEIC/HEIF file; the caller has checked its declared size against the limit. */
export function decodeHeic(bytes: Buffer, settings: DecodeSettings): Promise<RawImage> {
  if (settings.signal.aborted) return Promise.reject(cancelledError());
  return new Promise<RawImage>((resolve, reject) => {
    const worker = new Worker(workerSource, { eval: true, workerData: { modulePath: heicDecodePath, bytes } });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      settings.signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      outcome();
    };
    const onAbort = () => finish(() => reject(cancelledError()));
    settings.signal.addEventListener('abort', onAbort, { once: true });
    const timer =
      settings.timeoutMs > 0 && Number.isFinite(settings.timeoutMs)
        ? setTimeout(() => finish(() => reject(new PluginError('timeout', `decoding the ${settings.format.toUpperCase()} image took longer than ${settings.timeoutMs} ms`))), settings.timeoutMs)
        : undefined;

    worker.on('message', (reply: WorkerReply) =>
      finish(() => {
        if ('error' in reply) return reject(invalidInput(settings.format, reply.error));
        try {
          // The header was checked before decoding; this guards against a header that lied.
          checkPixelLimit(reply.width, reply.height, settings.maxPixels, settings.format);
          const data = Buffer.from(reply.pixels.buffer, reply.pixels.byteOffset, reply.pixels.byteLength);
          resolve(withoutOpaqueAlpha({ data, width: reply.width, height: reply.height, channels: 4 }));
        } catch (error) {
          reject(error);
        }
      }),
    );
    worker.on('error', (error) => finish(() => reject(invalidInput(settings.format, `the decoder failed: ${error.message}`))));
    worker.on('exit', (code) => finish(() => reject(invalidInput(settings.format, `the decoder stopped (exit code ${code}) without an image`))));
  });
}
