import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

import { escapeHtml } from './http';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** An RGB PNG drawn by `pixel(x, y)`: enough to serve a real image without shipping a binary file. */
export function drawPng(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // colour type: RGB
  const rows = Buffer.alloc(height * (1 + width * 3));
  let offset = 0;
  for (let y = 0; y < height; y += 1) {
    rows[offset++] = 0; // filter: none
    for (let x = 0; x < width; x += 1) {
      const [r, g, b] = pixel(x, y);
      rows[offset++] = r;
      rows[offset++] = g;
      rows[offset++] = b;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const GREEN: [number, number, number] = [0x6b, 0xbf, 0x4e];
const WHITE: [number, number, number] = [0xff, 0xff, 0xff];

/** What `/auth/v2/logo` returns: a 48×48 green tile with a white ring. */
export const LOGO_PNG: Buffer = drawPng(48, 48, (x, y) => {
  const d = Math.hypot(x - 23.5, y - 23.5);
  return d > 11 && d < 16 ? WHITE : GREEN;
});

const MODULES = 25;

function inFinder(x: number, y: number): boolean | undefined {
  for (const [fx, fy] of [
    [0, 0],
    [MODULES - 7, 0],
    [0, MODULES - 7],
  ] as const) {
    const dx = x - fx;
    const dy = y - fy;
    if (dx >= 0 && dx < 7 && dy >= 0 && dy < 7) {
      const ring = Math.max(Math.abs(dx - 3), Math.abs(dy - 3));
      return ring !== 2;
    }
  }
  return undefined;
}

/**
 * A QR-looking SVG for `activation_barcode`. It is not a scannable QR code: nothing scans it in the sandbox,
 * and the code it stands for is printed under it for a person to read.
 */
export function activationSvg(value: string): string {
  const bits = createHash('sha256').update(value).digest();
  const cells: string[] = [];
  for (let y = 0; y < MODULES; y += 1) {
    for (let x = 0; x < MODULES; x += 1) {
      const finder = inFinder(x, y);
      const index = y * MODULES + x;
      const on = finder ?? (((bits[index % bits.length] ?? 0) >> (index % 8)) & 1) === 1;
      if (on) cells.push(`<rect x="${x * 8 + 16}" y="${y * 8 + 16}" width="8" height="8"/>`);
    }
  }
  const size = MODULES * 8 + 32;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size + 40}" viewBox="0 0 ${size} ${size + 40}">` +
    `<title>Duo activation code</title><rect width="100%" height="100%" fill="#fff"/><g fill="#000">${cells.join('')}</g>` +
    `<text x="${size / 2}" y="${size + 24}" font-family="monospace" font-size="9" text-anchor="middle">${escapeHtml(value)}</text></svg>`
  );
}
