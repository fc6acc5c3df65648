import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

export type RequestWithId = IncomingMessage & { id?: unknown };

/** The client's `x-request-id` when it is sane, else a fresh UUID; echoed on the response. */
export function assignRequestId(req: RequestWithId, res: ServerResponse): string {
  const sent = req.headers['x-request-id'];
  const id = typeof sent === 'string' && CLIENT_REQUEST_ID.test(sent) ? sent : randomUUID();
  req.id = id;
  res.setHeader('x-request-id', id);
  return id;
}
