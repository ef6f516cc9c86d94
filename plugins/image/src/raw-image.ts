/** Decoded 8-bit sRGB pixels, row by row from the top: RGB, or RGBA with straight (not premultiplied) alpha. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** Drops an alpha channel that is opaque everywhere, so that an opaque image stays opaque downstream (a 24-bit BMP, no PNG alpha). */
export function withoutOpaqueAlpha(image: RawImage): RawImage {
  if (image.channels === 3) return image;
  const { data, width, height } = image;
  for (let offset = 3; offset < data.length; offset += 4) if (data[offset] !== 255) return image;
  const rgb = Buffer.allocUnsafe(width * height * 3);
  for (let source = 0, target = 0; source < data.length; source += 4, target += 3) {
    rgb[target] = data[source]!;
    rgb[target + 1] = data[source + 1]!;
    rgb[target + 2] = data[source + 2]!;
  }
  return { data: rgb, width, height, channels: 3 };
}
