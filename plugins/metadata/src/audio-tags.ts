import { parseFile, type IAudioMetadata } from 'music-metadata';
import type { SectionCollector } from './values.js';

/**
 * Tag containers music-metadata reads, with their native ids renamed to ffmpeg's vocabulary
 * (`title`, `artist`, `album_artist`…): the names a `set` uses, since ffmpeg writes them back,
 * so that a value set under a key reads back under the same key. Ids not listed keep their
 * own name (lower-cased for Vorbis comments, whose names are case-insensitive).
 */
const id3Names: Record<string, string> = {
  TIT2: 'title',
  TPE1: 'artist',
  TALB: 'album',
  TPE2: 'album_artist',
  TPE3: 'performer',
  TCOM: 'composer',
  TCON: 'genre',
  TCOP: 'copyright',
  TDRC: 'date',
  TYER: 'date',
  TENC: 'encoded_by',
  TSSE: 'encoder',
  TRCK: 'track',
  TPOS: 'disc',
  TPUB: 'publisher',
  TLAN: 'language',
  TIT1: 'grouping',
  TIT3: 'subtitle',
  COMM: 'comment',
  USLT: 'lyrics',
};

const vorbisNames: Record<string, string> = {
  ALBUMARTIST: 'album_artist',
  TRACKNUMBER: 'track',
  DISCNUMBER: 'disc',
  // ffmpeg writes a `comment` as DESCRIPTION and reads DESCRIPTION back as `comment`.
  DESCRIPTION: 'comment',
};

const mp4Names: Record<string, string> = {
  '©nam': 'title',
  '©ART': 'artist',
  '©alb': 'album',
  aART: 'album_artist',
  '©wrt': 'composer',
  '©gen': 'genre',
  gnre: 'genre',
  '©day': 'date',
  '©cmt': 'comment',
  '©too': 'encoder',
  cprt: 'copyright',
  trkn: 'track',
  disk: 'disc',
  desc: 'description',
  '©lyr': 'lyrics',
  '©grp': 'grouping',
  '©xyz': 'location',
};

/** Native tag ids that hold pictures or binary payloads, not text a person edits. */
const binaryIds = new Set(['APIC', 'PIC', 'covr', 'METADATA_BLOCK_PICTURE', 'PRIV', 'GEOB', 'MCDI', 'UFID']);

export type AudioTagSection = 'ID3' | 'Vorbis' | 'MP4' | 'APE' | 'ASF';

function sectionOfTagType(tagType: string): AudioTagSection | undefined {
  if (tagType.startsWith('ID3v2')) return 'ID3';
  if (tagType === 'vorbis') return 'Vorbis';
  if (tagType === 'iTunes') return 'MP4';
  if (tagType === 'APEv2') return 'APE';
  // RIFF INFO chunks come from exiftool, which names them (Title, Artist) rather than by id (INAM, IART).
  if (tagType === 'asf') return 'ASF';
  return undefined;
}

export function audioKey(section: string, id: string): string {
  switch (section) {
    case 'ID3':
      if (id.startsWith('TXXX:')) return id.slice(5);
      return id3Names[id] ?? id;
    case 'Vorbis':
      return vorbisNames[id.toUpperCase()] ?? id.toLowerCase();
    case 'MP4':
      if (id.startsWith('----:com.apple.iTunes:')) return id.slice('----:com.apple.iTunes:'.length);
      return mp4Names[id] ?? id;
    default:
      return id;
  }
}

export interface AudioTags {
  metadata: IAudioMetadata;
  /** The ID3v2 major version found (3 or 4), so that a rewrite keeps it. */
  id3Version?: 3 | 4;
  /** Keys that hold text (not pictures) in each tag section, for `editable`. */
  textKeys: Record<string, string[]>;
}

/** Reads the tags music-metadata knows, adding them to `collector` by container. */
export async function collectAudioTags(path: string, collector: SectionCollector): Promise<AudioTags> {
  const metadata = await parseFile(path, { skipCovers: true, duration: false });
  const textKeys: Record<string, string[]> = {};
  let id3Version: 3 | 4 | undefined;
  // ID3v2 before ID3v1: the first value for a key wins, and v1 is the older, shorter copy.
  const tagTypes = Object.keys(metadata.native).sort((a, b) => Number(b.startsWith('ID3v2')) - Number(a.startsWith('ID3v2')));
  for (const tagType of tagTypes) {
    const section = sectionOfTagType(tagType);
    if (!section) continue;
    if (tagType === 'ID3v2.3') id3Version ??= 3;
    if (tagType === 'ID3v2.4') id3Version ??= 4;
    for (const tag of metadata.native[tagType] ?? []) {
      const baseId = tag.id.split(':')[0]!;
      const key = audioKey(section, tag.id);
      collector.add(section, key, tag.value);
      if (!binaryIds.has(baseId) && !binaryIds.has(tag.id)) (textKeys[section] ??= []).push(key);
    }
  }
  return { metadata, ...(id3Version ? { id3Version } : {}), textKeys };
}
