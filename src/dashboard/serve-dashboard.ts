import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errorBody } from '../common/error-bodies.js';
import type { RequestWithId } from '../common/request-id.js';

/**
 * The dashboard's own policy, stricter than the API's: no inline script or style, no third-party
 * origin; it only talks to this gateway.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A path that names a file (has an extension) is never a client-side route. */
const FILE_LIKE = /\/[^/]*\.[A-Za-z0-9]+$/;

/**
 * Express middleware for `/dashboard` (outside Nest's router and guards: every file here is public).
 * Hashed assets are cached for a year; index.html is revalidated on every load so a new build
 * shows up at once; unknown non-file paths are client routes and get index.html.
 */
export function dashboardRouter(distDir: string): Router {
  const router = express.Router();
  const index = join(distDir, 'index.html');
  router.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    next();
  });
  router.use(
    '/assets',
    express.static(join(distDir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      redirect: false,
    }),
  );
  router.use(
    express.static(distDir, {
      index: false,
      redirect: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const requestId = (req as RequestWithId).id as string | undefined;
    if (req.path.startsWith('/assets/') || FILE_LIKE.test(req.path))
      return void res.status(404).json(errorBody('admin', 404, `Cannot GET ${req.originalUrl}`, requestId));
    if (!existsSync(index))
      return void res
        .status(503)
        .json(errorBody('admin', 503, 'The dashboard is not built: run `npm run build`', requestId));
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index, { cacheControl: false }, (error) => error && next(error));
  });
  return router;
}
