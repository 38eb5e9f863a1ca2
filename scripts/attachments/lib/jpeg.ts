import jpegJs from 'jpeg-js';
import { exifPayload, type ExifData } from './exif';

export type Rgb = readonly [number, number, number];

export interface JpegSpec extends ExifData {
  width: number;
  height: number;
  /** RGBA bytes, row by row (width × height × 4)… */
  pixels?: Uint8Array;
  /** …or the colour of each pixel. */
  draw?: (x: number, y: number) => Rgb;
  /** 1..100, default 85. */
  quality?: number;
}

/** A JPEG photo-like image with an Exif segment (camera, dates, GPS) for metadata challenges. */
export function jpegWithExif(spec: JpegSpec): Uint8Array {
  const { width, height } = spec;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error('width and height must be positive integers');
  }
  let pixels = spec.pixels;
  if (!pixels) {
    const draw = spec.draw ?? (() => [128, 128, 128] as const);
    pixels = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const [r, g, b] = draw(x, y);
        pixels.set([r, g, b, 255], (y * width + x) * 4);
      }
    }
  }
  if (pixels.length !== width * height * 4) throw new Error('pixels must hold width × height × 4 bytes');
  const encoded = new Uint8Array(jpegJs.encode({ data: pixels, width, height }, spec.quality ?? 85).data);
  return insertApp1(encoded, exifPayload(spec));
}

/** Puts an APP1 segment after SOI and the JFIF APP0 segment, if any. */
export function insertApp1(jpeg: Uint8Array, payload: Uint8Array): Uint8Array {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG file');
  if (payload.length + 2 > 0xffff) throw new Error('Exif segment too large');
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) at = 4 + ((jpeg[4]! << 8) | jpeg[5]!);
  const segment = [0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff];
  const out = new Uint8Array(jpeg.length + segment.length + payload.length);
  out.set(jpeg.subarray(0, at), 0);
  out.set(segment, at);
  out.set(payload, at + segment.length);
  out.set(jpeg.subarray(at), at + segment.length + payload.length);
  return out;
}
