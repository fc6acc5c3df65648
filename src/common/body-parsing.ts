import type { NextFunction, Request, Response } from 'express';
import { errorBody, surfaceOf } from './error-bodies.js';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/**
 * Express error middleware placed right after the body parsers: turns their failures (too large,
 * not JSON) into the surface's JSON error instead of Express's HTML page.
 */
export function bodyParserErrors(
  error: BodyParserError,
  req: Request & { id?: string },
  res: Response,
  next: NextFunction,
): void {
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
