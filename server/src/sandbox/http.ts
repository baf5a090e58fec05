import type { IncomingMessage, ServerResponse } from 'node:http';

import { DuoApiError, invalidParameter } from './errors';

export const MAX_BODY_BYTES = 64 * 1024;

export class BodyTooLargeError extends Error {}

/** The raw bytes, untouched: v5 signatures hash exactly what arrived. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLargeError(`Request body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!failed) reject(error);
      failed = true;
    });
  });
}

export function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  contentType: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': String(bytes.length),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(bytes);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  send(res, status, JSON.stringify(body), 'application/json', headers);
}

export function sendDuoOk(res: ServerResponse, response: unknown): void {
  sendJson(res, 200, { stat: 'OK', response });
}

export function sendDuoError(
  res: ServerResponse,
  error: DuoApiError,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendJson(res, error.httpStatus, error.toBody(), headers);
}

/** A body over the limit is refused in Duo's words; the connection is closed as the rest is never read. */
export function sendBodyTooLarge(res: ServerResponse): void {
  sendDuoError(res, invalidParameter('Request body too large'), { Connection: 'close' });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
