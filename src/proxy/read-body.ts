import type { IncomingMessage } from 'node:http';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../common/json-depth.js';
import { ProxyError } from './proxy-error.js';

export interface BodyReadLimits {
  limitBytes: number;
  /** From the moment reading starts; a client that trickles its upload is cut off (408). */
  timeoutMs: number;
}

/**
 * Reads the whole request body within the size and time limits. Over the size the request is
 * refused with 413 before anything else happens (no quota spent); the rest of the upload is
 * discarded. Past the deadline it is refused with 408 and the connection closed.
 */
export function readBody(req: IncomingMessage, limits: BodyReadLimits): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limits.limitBytes) return Promise.reject(tooLarge(req));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const deadline = setTimeout(() => {
      req.removeAllListeners('data');
      reject(
        new ProxyError('request_timeout', 'The request body was not received in time.', {
          connection: 'close',
        }),
      );
    }, limits.timeoutMs);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.limitBytes) {
        clearTimeout(deadline);
        req.removeAllListeners('data');
        reject(tooLarge(req));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => {
      clearTimeout(deadline);
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    req.once('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    req.once('close', () => clearTimeout(deadline));
  });
}

/** Parses a JSON object body; anything else (nested too deep included) is a 400 in OpenAI's shape. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> {
  if (exceedsJsonDepth(raw))
    throw new ProxyError('invalid_json', `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`);
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
