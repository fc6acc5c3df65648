import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ProxyEntry } from './proxy-entry.js';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Puts the proxy's handler in front of Express on the app's HTTP server: `/v1/*` goes straight to
 * it, everything else to the Nest application as before.
 */
export function mountProxyEntry(app: INestApplication): void {
  const server = app.getHttpServer() as Server;
  const entry = app.get(ProxyEntry);
  const [nestListener] = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== undefined && req.url.startsWith('/v1/')) entry.handle(req, res);
    else nestListener(req, res);
  });
}
