import type { BlobStore } from '../blob-store/port.js';
import { dimensionFormats, imageDimensions, imageDimensionsHeadLength, type ImageDimensions } from './image-dimensions.js';

/**
 * The dimensions of a stored image, read from the first bytes of its blob only. Undefined
 * for a format whose header is not read here, and for a header that does not say.
 */
export async function readBlobImageDimensions(
  blobs: BlobStore,
  blob: { key: string; format: string; size: number },
): Promise<ImageDimensions | undefined> {
  if (!dimensionFormats.has(blob.format) || blob.size <= 0) return undefined;
  const end = Math.min(blob.size, imageDimensionsHeadLength) - 1;
  const chunks: Buffer[] = [];
  for await (const chunk of await blobs.read(blob.key, { start: 0, end })) chunks.push(chunk as Buffer);
  return imageDimensions(Buffer.concat(chunks));
}
