import { createConnection, type Socket } from 'node:net';
import { cancelledError } from './cancellation.js';
import type { ScannedFile } from './file-reader.js';
import { describeClamd, type ClamdSettings } from './settings.js';

/** clamd could not be asked: not listening, silent past the timeout, or answering nonsense. */
export class ClamdUnavailable extends Error {}

/** clamd closed the connection while the request was still being sent, with no answer we could read. */
class ClamdHungUpMidRequest extends ClamdUnavailable {}

export type ClamdVerdict = { kind: 'ok' } | { kind: 'found'; name: string } | { kind: 'size-limit' } | { kind: 'error'; message: string };

/** Replies longer than this are not clamd's. */
const maxReplyBytes = 64 * 1024;

/** `zPING` → `PONG`: clamd is up and answering. */
export async function pingClamd(settings: ClamdSettings, signal?: AbortSignal): Promise<void> {
  const reply = await exchange(settings, signal, (send) => send(Buffer.from('zPING\0')));
  if (reply !== 'PONG') throw new ClamdUnavailable(`${describeClamd(settings)} answered PING with ${JSON.stringify(reply)}`);
}

/**
 * Streams the file to clamd with INSTREAM: `zINSTREAM\0`, then chunks each led by its length
 * as a 4-byte big-endian number, then a zero length. clamd answers `stream: OK`,
 * `stream: <signature> FOUND`, or `<why> ERROR` (`INSTREAM size limit exceeded` once the
 * stream passes its StreamMaxLength, after which it closes the connection mid-upload).
 */
export async function scanWithClamd(settings: ClamdSettings, file: ScannedFile, signal: AbortSignal): Promise<ClamdVerdict> {
  try {
    return parseScanReply(await streamToClamd(settings, file, signal));
  } catch (error) {
    // clamd stops reading a stream past its StreamMaxLength and hangs up; its answer can be lost
    // when our write fails first. A clamd that still answers PING chose to stop: the size limit.
    // One that does not has gone away, and the scan is retried.
    if (!(error instanceof ClamdHungUpMidRequest)) throw error;
    await pingClamd(settings, signal);
    return { kind: 'size-limit' };
  }
}

function streamToClamd(settings: ClamdSettings, file: ScannedFile, signal: AbortSignal): Promise<string> {
  return exchange(settings, signal, async (send) => {
    if (!(await send(Buffer.from('zINSTREAM\0')))) return false;
    const length = Buffer.alloc(4);
    for await (const chunk of file.chunks(signal)) {
      length.writeUInt32BE(chunk.length, 0);
      // Copies: the socket may still hold a buffer after the next read reuses it. clamd may stop
      // reading (a size limit); its answer is then already on its way.
      if (!(await send(Buffer.from(length))) || !(await send(Buffer.from(chunk)))) return false;
    }
    return send(Buffer.alloc(4));
  });
}

export function parseScanReply(reply: string): ClamdVerdict {
  if (reply === 'stream: OK') return { kind: 'ok' };
  const found = /^stream: (.+) FOUND$/.exec(reply);
  if (found) return { kind: 'found', name: found[1]! };
  if (reply.includes('size limit exceeded')) return { kind: 'size-limit' };
  return { kind: 'error', message: reply.replace(/ ?ERROR$/, '') || 'no reason given' };
}

type Send = (bytes: Buffer) => Promise<boolean>;

/**
 * Opens a connection, lets `talk` send its request (answering whether all of it went), and
 * resolves with clamd's reply (the text before the terminating NUL, or before the connection
 * closed). Rejects with ClamdUnavailable when clamd cannot be reached, stays silent for
 * `timeoutMs`, or closes without answering; with a `cancelled` PluginError when `signal` aborts.
 */
function exchange(settings: ClamdSettings, signal: AbortSignal | undefined, talk: (send: Send) => Promise<boolean>): Promise<string> {
  const where = describeClamd(settings);
  return new Promise<string>((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const socket: Socket = createConnection('socketPath' in settings.target ? { path: settings.target.socketPath } : settings.target);
    let received = Buffer.alloc(0);
    let settled = false;
    let requestSent = false;
    const finish = (outcome: { reply: string } | { error: Error }) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if ('reply' in outcome) resolve(outcome.reply);
      else reject(outcome.error);
    };
    const onAbort = () => finish({ error: cancelledError() });
    signal?.addEventListener('abort', onAbort, { once: true });

    socket.setTimeout(settings.timeoutMs, () => finish({ error: new ClamdUnavailable(`${where} did not answer within ${settings.timeoutMs} ms`) }));
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      const end = received.indexOf(0);
      if (end >= 0) finish({ reply: received.toString('utf8', 0, end).trim() });
      else if (received.length > maxReplyBytes) finish({ error: new ClamdUnavailable(`${where} sent an over-long reply`) });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // Once something was said, clamd hung up after answering (it stops reading at a size limit).
      if (received.length > 0) finish({ reply: received.toString('utf8').trim() });
      else if (error.code === 'EPIPE' || error.code === 'ECONNRESET') return; // wait for its answer, or for 'close'
      else finish({ error: new ClamdUnavailable(`cannot reach ${where}: ${error.code ?? error.message}`) });
    });
    socket.on('close', () => {
      if (received.length > 0) finish({ reply: received.toString('utf8').trim() });
      else if (requestSent) finish({ error: new ClamdUnavailable(`${where} closed the connection without answering`) });
      else finish({ error: new ClamdHungUpMidRequest(`${where} closed the connection before the request was sent`) });
    });

    const send: Send = (bytes) =>
      new Promise<boolean>((done) => {
        if (settled || socket.destroyed || !socket.writable) return done(false);
        if (socket.write(bytes)) return done(true);
        const onDrain = () => {
          socket.off('close', onClose);
          done(true);
        };
        const onClose = () => {
          socket.off('drain', onDrain);
          done(false);
        };
        socket.once('drain', onDrain);
        socket.once('close', onClose);
      });
    socket.once('connect', () => {
      talk(send).then(
        (sentWhole) => (requestSent = sentWhole),
        (error: unknown) => finish({ error: error instanceof Error ? error : new Error(String(error)) }),
      );
    });
  });
}
