import type { IncomingMessage } from 'node:http';
import { ProxyError } from './proxy-error.js';

/**
 * Reads the whole request body up to `limit` bytes. Over the limit the request is refused with
 * 413 before anything else happens (no quota spent); the rest of the upload is discarded.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge(req));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(tooLarge(req));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}

/** Parses a JSON object body; anything else is a 400 in OpenAI's shape. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ProxyError('invalid_json', 'We could not parse the JSON body of your request.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ProxyError('invalid_request', 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function tooLarge(req: IncomingMessage): ProxyError {
  req.resume(); // drain what is left so the socket can answer
  return new ProxyError('body_too_large', 'Request body is too large.');
}
