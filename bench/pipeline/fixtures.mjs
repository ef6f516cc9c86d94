// Deterministic test images, generated with sharp so nothing binary is committed.
import sharp from 'sharp';
import { seededRandom } from '../seeded-random.mjs';

/**
 * A 1920×1080 JPEG whose encode cost resembles a photograph's: smooth colour gradients
 * (sky, light falloff), mid-frequency structure (shapes, foliage-like ripples) and fine
 * seeded grain, softened by a light blur the way a lens and demosaicing soften a photo,
 * then saved at quality 90.
 */
export async function makePhotoJpeg({ width = 1920, height = 1080, seed = 1080 } = {}) {
  const random = seededRandom(seed);
  const channels = 3;
  const pixels = Buffer.alloc(width * height * channels);
  // A few random "objects": soft blobs of colour at random places.
  const blobs = Array.from({ length: 24 }, () => ({
    x: random() * width,
    y: random() * height,
    radius: 40 + random() * 260,
    colour: [random() * 255, random() * 255, random() * 255],
  }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      let r = 70 + 120 * v + 40 * Math.sin(u * 3.1 + v * 1.7);
      let g = 90 + 90 * (1 - v) + 30 * Math.sin(u * 5.3 - v * 2.9);
      let b = 150 - 80 * v + 50 * Math.cos(u * 2.3 + v * 4.1);
      // Mid-frequency ripples, stronger in the lower half like grass or water.
      const ripple = (10 + 30 * v) * Math.sin(x * 0.09 + 6 * Math.sin(y * 0.023)) * Math.cos(y * 0.07 + x * 0.011);
      r += ripple;
      g += ripple * 1.2;
      b += ripple * 0.6;
      for (const blob of blobs) {
        const dx = x - blob.x;
        const dy = y - blob.y;
        const weight = Math.exp(-(dx * dx + dy * dy) / (2 * blob.radius * blob.radius));
        if (weight > 0.01) {
          r += (blob.colour[0] - r) * weight * 0.7;
          g += (blob.colour[1] - g) * weight * 0.7;
          b += (blob.colour[2] - b) * weight * 0.7;
        }
      }
      const grain = (random() - 0.5) * 36;
      const offset = (y * width + x) * channels;
      pixels[offset] = clampByte(r + grain + (random() - 0.5) * 10);
      pixels[offset + 1] = clampByte(g + grain + (random() - 0.5) * 10);
      pixels[offset + 2] = clampByte(b + grain + (random() - 0.5) * 10);
    }
  }
  return sharp(pixels, { raw: { width, height, channels } }).blur(0.7).jpeg({ quality: 90 }).toBuffer();
}

/** A small 64×64 PNG: a gradient with seeded noise (the per-job overhead dominates its cost). */
export async function makeSmallPng({ size = 64, seed = 64 } = {}) {
  const random = seededRandom(seed);
  const pixels = Buffer.alloc(size * size * 3);
  for (let i = 0; i < size * size; i++) {
    const x = i % size;
    const y = Math.floor(i / size);
    pixels[i * 3] = clampByte((x / size) * 255 + (random() - 0.5) * 20);
    pixels[i * 3 + 1] = clampByte((y / size) * 255 + (random() - 0.5) * 20);
    pixels[i * 3 + 2] = clampByte(128 + (random() - 0.5) * 40);
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
}

function clampByte(value) {
  return value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
}

/** True when `bytes` is a WebP file (RIFF container with a WEBP form type). */
export function isWebp(bytes) {
  return bytes.length >= 12 && bytes.toString('ascii', 0, 4) === 'RIFF' && bytes.toString('ascii', 8, 12) === 'WEBP';
}
