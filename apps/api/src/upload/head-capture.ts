import { Transform, type TransformCallback } from 'node:stream';

/**
 * Passes a stream through unchanged while keeping a copy of its first `length` bytes, so
 * that the format can be sniffed from an upload that is never held in memory whole.
 *
 * It is the source a blob store writes from, and an upload that fails (the client goes away)
 * destroys it with the reason. That can happen before the store listens (the local disk store
 * opens its file first), and an 'error' nobody listens to would end the process. So it always
 * has a listener; the store still sees the failure, from the stream's errored state.
 */
export class HeadCapture extends Transform {
  private readonly chunks: Buffer[] = [];
  private captured = 0;

  constructor(private readonly length: number) {
    super();
    this.on('error', () => undefined);
  }

  /** The first bytes seen so far (all of them once the stream has ended). */
  get head(): Buffer {
    return Buffer.concat(this.chunks, this.captured);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.captured < this.length) {
      const wanted = chunk.subarray(0, this.length - this.captured);
      this.chunks.push(Buffer.from(wanted));
      this.captured += wanted.length;
    }
    callback(null, chunk);
  }
}
