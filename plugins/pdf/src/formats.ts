/** Formats a PDF page can be rendered to. */
export const rasterFormats = ['png', 'jpeg', 'webp'] as const;
export type RasterFormat = (typeof rasterFormats)[number];

/** What each page of a PDF can become inside a zip: a one-page PDF, or a rendering. */
export const pageFileFormats = ['pdf', ...rasterFormats] as const;
export type PageFileFormat = (typeof pageFileFormats)[number];

/** Image formats that become a PDF with one page per image (per page, for a multi-page TIFF). */
export const imageSourceFormats = ['png', 'jpeg', 'webp', 'tiff'] as const;
export type ImageSourceFormat = (typeof imageSourceFormats)[number];

export function isRasterFormat(format: string): format is RasterFormat {
  return (rasterFormats as readonly string[]).includes(format);
}

export function isImageSourceFormat(format: string): format is ImageSourceFormat {
  return (imageSourceFormats as readonly string[]).includes(format);
}

/** The extension a file of each format gets inside a zip. */
export const fileExtension: Record<PageFileFormat, string> = { pdf: 'pdf', png: 'png', jpeg: 'jpg', webp: 'webp' };
