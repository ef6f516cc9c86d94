import { runFfmpeg } from './ffmpeg.js';

/**
 * HEIC fixtures, made without a HEIC encoder: sharp's libheif here decodes and encodes AV1
 * only, and no HEIF muxer is installed. ffmpeg's libx265 encodes the picture as one HEVC
 * intra frame; this file wraps that bitstream in the minimal HEIF structure (ISO/IEC 23008-12):
 * ftyp, then meta (hdlr, pitm, iinf/infe 'hvc1', iloc, iprp with hvcC and ispe, ipma), then
 * mdat with the coded slices. libheif, which the plugin decodes with, then validates it.
 */
export async function makeHeic(rgb: Buffer, width: number, height: number, brand: 'heic' | 'mif1' = 'heic'): Promise<Buffer> {
  const annexB = await runFfmpeg(
    ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-i', '-', '-frames:v', '1', '-c:v', 'libx265', '-pix_fmt', 'yuv420p', '-profile:v', 'main', '-x265-params', 'log-level=error:keyint=1', '-f', 'hevc', '-'],
    rgb,
  );
  return wrapHevcInHeif(nalUnits(annexB), width, height, brand);
}

/** Splits an Annex B byte stream at its 00 00 01 start codes. */
function nalUnits(stream: Buffer): Buffer[] {
  const starts: number[] = [];
  for (let index = 0; index + 2 < stream.length; index++) {
    if (stream[index] === 0 && stream[index + 1] === 0 && stream[index + 2] === 1) {
      starts.push(index + 3);
      index += 2;
    }
  }
  return starts.map((start, index) => {
    let end = index + 1 < starts.length ? starts[index + 1]! - 3 : stream.length;
    while (end > start && stream[end - 1] === 0) end--; // the zero byte of a 4-byte start code
    return stream.subarray(start, end);
  });
}

const nalType = (nal: Buffer) => (nal[0]! >> 1) & 0x3f;
const vps = 32;
const sps = 33;
const pps = 34;

function box(type: string, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

function fullBox(type: string, version: number, flags: number, ...content: Buffer[]): Buffer {
  const versionAndFlags = Buffer.alloc(4);
  versionAndFlags.writeUInt32BE(((version << 24) | flags) >>> 0, 0);
  return box(type, versionAndFlags, ...content);
}

function u8(...values: number[]): Buffer {
  return Buffer.from(values);
}

function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value, 0);
  return bytes;
}

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value, 0);
  return bytes;
}

/** The SPS without emulation prevention bytes (00 00 03 → 00 00), so its profile fields can be copied. */
function unescape(nal: Buffer): Buffer {
  const out: number[] = [];
  for (let index = 0; index < nal.length; index++) {
    if (index >= 2 && nal[index] === 3 && nal[index - 1] === 0 && nal[index - 2] === 0) continue;
    out.push(nal[index]!);
  }
  return Buffer.from(out);
}

/** HEVCDecoderConfigurationRecord: profile, tier and level copied from the SPS, then the parameter sets. */
function hvcC(parameterSets: Buffer[]): Buffer {
  const spsUnit = parameterSets.find((nal) => nalType(nal) === sps)!;
  // After the 2-byte NAL header and 1 byte of ids: profile space/tier/idc (1), compatibility (4), constraints (6), level (1).
  const profileTierLevel = unescape(spsUnit).subarray(3, 15);
  const arrays = parameterSets.map((nal) => Buffer.concat([u8(0x80 | nalType(nal)), u16(1), u16(nal.length), nal]));
  return box(
    'hvcC',
    u8(1), // configurationVersion
    profileTierLevel,
    u16(0xf000), // min_spatial_segmentation_idc
    u8(0xfc), // parallelismType
    u8(0xfd), // chroma_format_idc 1 (4:2:0)
    u8(0xf8), // bit depth luma 8
    u8(0xf8), // bit depth chroma 8
    u16(0), // avgFrameRate
    u8(0x0f), // one temporal layer, nested, 4-byte NAL lengths
    u8(arrays.length),
    ...arrays,
  );
}

function wrapHevcInHeif(units: Buffer[], width: number, height: number, brand: 'heic' | 'mif1'): Buffer {
  const parameterSets = [vps, sps, pps].map((type) => units.find((nal) => nalType(nal) === type)!);
  const slices = units.filter((nal) => nalType(nal) < 32);
  const coded = Buffer.concat(slices.flatMap((nal) => [u32(nal.length), nal]));

  const ftyp = box('ftyp', Buffer.from(brand, 'latin1'), u32(0), Buffer.from('mif1heic', 'latin1'));
  const hdlr = fullBox('hdlr', 0, 0, u32(0), Buffer.from('pict', 'latin1'), Buffer.alloc(12), u8(0));
  const pitm = fullBox('pitm', 0, 0, u16(1));
  const infe = fullBox('infe', 2, 0, u16(1), u16(0), Buffer.from('hvc1', 'latin1'), u8(0));
  const iinf = fullBox('iinf', 0, 0, u16(1), infe);
  const ispe = fullBox('ispe', 0, 0, u32(width), u32(height));
  const ipco = box('ipco', hvcC(parameterSets), ispe);
  const ipma = fullBox('ipma', 0, 0, u32(1), u16(1), u8(2), u8(0x81), u8(0x02));
  const iprp = box('iprp', ipco, ipma);
  // iloc needs the mdat's offset, which depends on the meta box's size: built once to measure, then for real.
  const iloc = (offset: number) => fullBox('iloc', 0, 0, u8(0x44, 0x00), u16(1), u16(1), u16(0), u16(1), u32(offset), u32(coded.length));
  const meta = (offset: number) => fullBox('meta', 0, 0, hdlr, pitm, iinf, iloc(offset), iprp);
  const dataOffset = ftyp.length + meta(0).length + 8;
  return Buffer.concat([ftyp, meta(dataOffset), box('mdat', coded)]);
}
