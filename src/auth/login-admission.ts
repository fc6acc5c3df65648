import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { errorBody } from '../common/error-bodies.js';
import {
  LOGINS_BUSY_MESSAGE,
  MAX_CONCURRENT_VERIFICATIONS,
  MAX_WAITING_VERIFICATIONS,
} from './verification-gate.js';

export const LOGIN_PATH = '/admin/auth/login';

/**
 * Bounds the logins in flight at the door, before logging, body parsing and validation: a burst of
 * hundreds of logins is refused for the price of a few header writes, so it costs the event loop
 * (and `/v1`) next to nothing. Only as many get in as the password hasher can run or queue.
 */
export function loginAdmission(
  maxInFlight = MAX_CONCURRENT_VERIFICATIONS + MAX_WAITING_VERIFICATIONS,
): RequestHandler {
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
