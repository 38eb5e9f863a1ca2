/**
 * Just enough Exif to write and read back what photo-metadata challenges rely on: camera make and
 * model, dates and GPS position. Written as a little-endian TIFF structure (IFD0, Exif sub-IFD, GPS
 * IFD); the reader also accepts big-endian files.
 */

export interface ExifData {
  make?: string;
  model?: string;
  software?: string;
  /** "YYYY:MM:DD HH:MM:SS", Exif's own format, local time of the camera. */
  dateTime?: string;
  dateTimeOriginal?: string;
  /** Decimal degrees, south and west negative. */
  gps?: { lat: number; lon: number };
}

const TAG = {
  make: 0x010f,
  model: 0x0110,
  software: 0x0131,
  dateTime: 0x0132,
  exifPointer: 0x8769,
  gpsPointer: 0x8825,
  dateTimeOriginal: 0x9003,
  dateTimeDigitized: 0x9004,
  gpsVersion: 0x0000,
  gpsLatRef: 0x0001,
  gpsLat: 0x0002,
  gpsLonRef: 0x0003,
  gpsLon: 0x0004,
} as const;

const BYTE = 1;
const ASCII = 2;
const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;
const TYPE_SIZE: Record<number, number> = { [BYTE]: 1, [ASCII]: 1, [SHORT]: 2, [LONG]: 4, [RATIONAL]: 8 };

type Entry =
  | { tag: number; type: typeof ASCII; value: string }
  | { tag: number; type: typeof BYTE | typeof SHORT | typeof LONG; value: number[] }
  /** value: [numerator, denominator] pairs, flattened. */
  | { tag: number; type: typeof RATIONAL; value: number[] }
  /** The offset of another IFD of the same structure, by index. */
  | { tag: number; type: 'pointer'; to: number };

const DATE_PATTERN = /^\d{4}:\d{2}:\d{2} \d{2}:\d{2}:\d{2}$/;

function entryBytes(entry: Entry): { type: number; count: number; bytes: number[] } {
  switch (entry.type) {
    case ASCII: {
      const bytes = [...new TextEncoder().encode(entry.value), 0];
      return { type: ASCII, count: bytes.length, bytes };
    }
    case 'pointer':
      return { type: LONG, count: 1, bytes: [0, 0, 0, 0] };
    case RATIONAL:
      return { type: RATIONAL, count: entry.value.length / 2, bytes: entry.value.flatMap(u32) };
    case SHORT:
      return { type: SHORT, count: entry.value.length, bytes: entry.value.flatMap(u16) };
    case LONG:
      return { type: LONG, count: entry.value.length, bytes: entry.value.flatMap(u32) };
    default:
      return { type: BYTE, count: entry.value.length, bytes: entry.value };
  }
}

function u16(n: number): number[] {
  return [n & 0xff, (n >> 8) & 0xff];
}
function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

/** A TIFF structure: IFD i is laid out after IFD i-1's values; pointers are patched once placed. */
function tiff(ifds: Entry[][]): Uint8Array {
  const encoded = ifds.map((entries) =>
    [...entries].sort((a, b) => a.tag - b.tag).map((e) => ({ entry: e, ...entryBytes(e) })),
  );
  const offsets: number[] = [];
  let offset = 8;
  for (const entries of encoded) {
    offsets.push(offset);
    offset += 2 + entries.length * 12 + 4;
    for (const e of entries) if (e.bytes.length > 4) offset += e.bytes.length + (e.bytes.length % 2);
  }
  const out: number[] = [0x49, 0x49, 0x2a, 0x00, ...u32(8)];
  encoded.forEach((entries, i) => {
    const start = offsets[i]!;
    let data = start + 2 + entries.length * 12 + 4;
    const values: number[] = [];
    out.push(...u16(entries.length));
    for (const e of entries) {
      out.push(...u16(e.entry.tag), ...u16(e.type), ...u32(e.count));
      if (e.entry.type === 'pointer') {
        out.push(...u32(offsets[e.entry.to]!));
      } else if (e.bytes.length <= 4) {
        out.push(...e.bytes, ...new Array<number>(4 - e.bytes.length).fill(0));
      } else {
        out.push(...u32(data));
        const padded = e.bytes.length % 2 ? [...e.bytes, 0] : e.bytes;
        values.push(...padded);
        data += padded.length;
      }
    }
    out.push(...u32(0)); // no next IFD: thumbnails are not needed
    out.push(...values);
  });
  return Uint8Array.from(out);
}

/** Degrees, minutes and seconds as Exif rationals, seconds to the hundredth. */
function dms(decimal: number): number[] {
  const hundredths = Math.round(Math.abs(decimal) * 360000);
  const degrees = Math.floor(hundredths / 360000);
  const minutes = Math.floor((hundredths % 360000) / 6000);
  const seconds = hundredths % 6000;
  return [degrees, 1, minutes, 1, seconds, 100];
}

/** The payload of an APP1 segment: "Exif\0\0" then the TIFF structure. */
export function exifPayload(data: ExifData): Uint8Array {
  for (const date of [data.dateTime, data.dateTimeOriginal]) {
    if (date !== undefined && !DATE_PATTERN.test(date)) {
      throw new Error(`Exif dates look like "2024:05:17 14:03:00", got "${date}"`);
    }
  }
  const ifd0: Entry[] = [];
  const ifds: Entry[][] = [ifd0];
  if (data.make) ifd0.push({ tag: TAG.make, type: ASCII, value: data.make });
  if (data.model) ifd0.push({ tag: TAG.model, type: ASCII, value: data.model });
  if (data.software) ifd0.push({ tag: TAG.software, type: ASCII, value: data.software });
  if (data.dateTime) ifd0.push({ tag: TAG.dateTime, type: ASCII, value: data.dateTime });
  const original = data.dateTimeOriginal ?? data.dateTime;
  if (original) {
    ifd0.push({ tag: TAG.exifPointer, type: 'pointer', to: ifds.length });
    ifds.push([
      { tag: TAG.dateTimeOriginal, type: ASCII, value: original },
      { tag: TAG.dateTimeDigitized, type: ASCII, value: original },
    ]);
  }
  if (data.gps) {
    const { lat, lon } = data.gps;
    if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) throw new Error('GPS position out of range');
    ifd0.push({ tag: TAG.gpsPointer, type: 'pointer', to: ifds.length });
    ifds.push([
      { tag: TAG.gpsVersion, type: BYTE, value: [2, 3, 0, 0] },
      { tag: TAG.gpsLatRef, type: ASCII, value: lat < 0 ? 'S' : 'N' },
      { tag: TAG.gpsLat, type: RATIONAL, value: dms(lat) },
      { tag: TAG.gpsLonRef, type: ASCII, value: lon < 0 ? 'W' : 'E' },
      { tag: TAG.gpsLon, type: RATIONAL, value: dms(lon) },
    ]);
  }
  const header = [0x45, 0x78, 0x69, 0x66, 0, 0];
  return Uint8Array.from([...header, ...tiff(ifds)]);
}

// ---------- reading ----------

type Value = string | number[];

function readIfd(view: DataView, start: number, offset: number, little: boolean): Map<number, Value> {
  const tags = new Map<number, Value>();
  const count = view.getUint16(start + offset, little);
  for (let i = 0; i < count; i++) {
    const at = start + offset + 2 + i * 12;
    const tag = view.getUint16(at, little);
    const type = view.getUint16(at + 2, little);
    const n = view.getUint32(at + 4, little);
    const size = (TYPE_SIZE[type] ?? 1) * n;
    const valueAt = size <= 4 ? at + 8 : start + view.getUint32(at + 8, little);
    if (type === ASCII) {
      const bytes = new Uint8Array(view.buffer, view.byteOffset + valueAt, n);
      tags.set(tag, new TextDecoder().decode(bytes).replace(/\0+$/, ''));
    } else if (type === RATIONAL) {
      const values: number[] = [];
      for (let k = 0; k < n; k++) {
        values.push(view.getUint32(valueAt + k * 8, little) / view.getUint32(valueAt + k * 8 + 4, little));
      }
      tags.set(tag, values);
    } else {
      const values: number[] = [];
      for (let k = 0; k < n; k++) {
        values.push(
          type === SHORT
            ? view.getUint16(valueAt + k * 2, little)
            : type === LONG
              ? view.getUint32(valueAt + k * 4, little)
              : view.getUint8(valueAt + k),
        );
      }
      tags.set(tag, values);
    }
  }
  return tags;
}

/** The Exif fields of a JPEG file, or undefined when it has no Exif segment. */
export function readExif(jpeg: Uint8Array): ExifData | undefined {
  const view = new DataView(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  if (view.getUint16(0) !== 0xffd8) throw new Error('not a JPEG file');
  let at = 2;
  while (at + 4 <= jpeg.length) {
    const marker = view.getUint16(at);
    if (marker === 0xffda || (marker & 0xff00) !== 0xff00) return undefined; // image data: no more metadata
    const length = view.getUint16(at + 2);
    const isExif = marker === 0xffe1 && String.fromCharCode(...jpeg.subarray(at + 4, at + 8)) === 'Exif';
    if (isExif) return parseTiff(view, at + 10);
    at += 2 + length;
  }
  return undefined;
}

function parseTiff(view: DataView, start: number): ExifData {
  const little = view.getUint16(start) === 0x4949;
  const ifd0 = readIfd(view, start, view.getUint32(start + 4, little), little);
  const text = (tags: Map<number, Value>, tag: number) => {
    const v = tags.get(tag);
    return typeof v === 'string' ? v : undefined;
  };
  const pointer = (tag: number) => {
    const v = ifd0.get(tag);
    return Array.isArray(v) ? v[0] : undefined;
  };
  const result: ExifData = {};
  const set = <K extends keyof ExifData>(key: K, value: ExifData[K] | undefined) => {
    if (value !== undefined) result[key] = value;
  };
  set('make', text(ifd0, TAG.make));
  set('model', text(ifd0, TAG.model));
  set('software', text(ifd0, TAG.software));
  set('dateTime', text(ifd0, TAG.dateTime));
  const exifAt = pointer(TAG.exifPointer);
  if (exifAt !== undefined) {
    set('dateTimeOriginal', text(readIfd(view, start, exifAt, little), TAG.dateTimeOriginal));
  }
  const gpsAt = pointer(TAG.gpsPointer);
  if (gpsAt !== undefined) {
    const gps = readIfd(view, start, gpsAt, little);
    const degrees = (tag: number, ref: number, negative: string) => {
      const v = gps.get(tag);
      if (!Array.isArray(v) || v.length !== 3) return undefined;
      const value = v[0]! + v[1]! / 60 + v[2]! / 3600;
      return text(gps, ref) === negative ? -value : value;
    };
    const lat = degrees(TAG.gpsLat, TAG.gpsLatRef, 'S');
    const lon = degrees(TAG.gpsLon, TAG.gpsLonRef, 'W');
    if (lat !== undefined && lon !== undefined) result.gps = { lat, lon };
  }
  return result;
}
