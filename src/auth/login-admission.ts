import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { errorBody } from '../common/error-bodies.js';
import { LOGINS_BUSY_MESSAGE } from './verification-gate.js';

export const LOGIN_PATH = '/admin/auth/login';
/**
 * Logins past the door at once. Above what the hasher runs or queues, so refusals of throttled
 * clients stay 429s (cheap, no hashing); a burst beyond it costs only a few header writes each.
 */
export const MAX_LOGINS_IN_FLIGHT = 64;

/**
 * Bounds the logins in flight at the door, before logging, body parsing and validation: a burst of
 * hundreds of logins is mostly refused (503) for the price of a few header writes, so it costs the
 * event loop (and `/v1`) little.
 */
export function loginAdmission(maxInFlight = MAX_LOGINS_IN_FLIGHT): RequestHandler {
  let inFlight = 0;
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || req.path !== LOGIN_PATH) return next();
    if (inFlight >= maxInFlight) {
      res.setHeader('Retry-After', '1');
      res.setHeader('Connection', 'close');
      res.status(503).json(errorBody('admin', 503, LOGINS_BUSY_MESSAGE, String(req.id)));
      return;
    }
    inFlight += 1;
    res.once('close', () => (inFlight -= 1));
    next();
  };
}
