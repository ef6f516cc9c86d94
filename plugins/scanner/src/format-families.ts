/** Families of formats the scanner examines in a way of their own. */

/** Zip containers: their central directory is read and measured. */
export const zipBasedFormats: ReadonlySet<string> = new Set(['zip', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'epub']);
/** Raster images: their header size is checked, and they may hide nothing after or inside their data. */
export const rasterImageFormats: ReadonlySet<string> = new Set(['png', 'jpeg', 'gif', 'webp', 'avif', 'heic', 'heif', 'tiff', 'bmp', 'ico']);
/** Audio and video: their duration is probed and held to the limit. */
export const mediaFormats: ReadonlySet<string> = new Set(['mp3', 'wav', 'flac', 'ogg', 'opus', 'aac', 'm4a', 'mp4', 'mov', 'webm', 'mkv']);
