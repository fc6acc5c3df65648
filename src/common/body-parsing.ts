import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json } from 'express';
import type { IncomingMessage } from 'node:http';
import { errorBody, surfaceOf } from './error-bodies.js';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.js';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

export interface BodyLimits {
  limitBytes: number;
  readTimeoutMs: number;
}

/** The Nest surfaces' body handling: a read deadline, then JSON within size and depth limits. */
export function jsonBodyParsing(limits: BodyLimits): RequestHandler[] {
  return [bodyReadDeadline(limits.readTimeoutMs), json({ limit: limits.limitBytes, verify: refuseDeepJson })];
}

/**
 * A client that sends its body too slowly (a slow-loris upload) gets 408 in the surface's shape
 * when the deadline passes, and the connection is closed.
 */
function bodyReadDeadline(timeoutMs: number): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.complete || !hasBody(req)) return next();
    const timer = setTimeout(() => {
      if (req.complete || res.headersSent) return;
      res.setHeader('Connection', 'close');
      res
        .status(408)
        .json(errorBody(surfaceOf(req.path), 408, 'Request body was not received in time', String(req.id)));
      res.once('finish', () => req.socket.destroy());
    }, timeoutMs);
    const stop = () => clearTimeout(timer);
    req.once('end', stop);
    res.once('close', stop);
    next();
  };
}

function refuseDeepJson(_req: IncomingMessage, _res: unknown, raw: Buffer): void {
  if (!exceedsJsonDepth(raw)) return;
  throw Object.assign(new Error(`Request body nests deeper than ${MAX_JSON_DEPTH} levels`), {
    status: 400,
    type: 'entity.too.deep',
  });
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Express error middleware placed right after the body parsers: turns their failures (too large,
 * not JSON, too deep) into the surface's JSON error instead of Express's HTML page. A client that
 * went away mid-upload gets no answer (it could not read one).
 */
export function bodyParserErrors(
  error: BodyParserError,
  req: Request & { id?: string },
  res: Response,
  next: NextFunction,
): void {
  if (res.headersSent) return; // the read deadline already answered
  // The client hung up mid-upload: routine, and no one is left to read an answer. The access log
  // records it in one line at info ('request aborted', see customLogLevel in app.factory.ts).
  if (error.type === 'request.aborted') return;
  const status =
    error.type === 'entity.too.large' ? 413 : error.status && error.status < 500 ? error.status : undefined;
  if (!status) return next(error);
  const message =
    status === 413
      ? 'Request body is too large'
      : error.type === 'entity.parse.failed'
        ? 'Request body is not valid JSON'
        : error.message;
  res.status(status).json(errorBody(surfaceOf(req.path), status, message, req.id));
}
