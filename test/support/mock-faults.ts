import type { ServerResponse } from 'node:http';

// Hostile or broken upstream answers for the security tests: bodies far larger than any sane
// answer (generated as they are written, so the mock itself stays small), HTML error pages, and
// error bodies that echo the caller's credentials back.

export type MockFault =
  /** A body of `bytes` bytes, written in pieces with backpressure; `declareLength` sends content-length. */
  | { kind: 'huge-body'; bytes: number; status?: number; declareLength?: boolean }
  /** A 200 event stream whose first event never ends (one `data:` line of `bytes` bytes). */
  | { kind: 'huge-event'; bytes: number }
  /** A healthy chat stream of `events` content chunks of `eventBytes` characters, then usage and `[DONE]`. */
  | { kind: 'long-stream'; events: number; eventBytes?: number }
  /** An error page in HTML, as a misconfigured reverse proxy in front of an upstream would send. */
  | { kind: 'html-error'; status: number }
  /** An error whose text repeats the presented key and the request body (some upstreams do). */
  | { kind: 'echo-key'; status: number; json?: boolean; headers?: Record<string, string> };

export const FAULT_KINDS: ReadonlySet<string> = new Set([
  'huge-body',
  'huge-event',
  'long-stream',
  'html-error',
  'echo-key',
]);

export const HTML_ERROR_PAGE =
  '<html><head><title>502</title></head><body><h1>Bad gateway</h1><script>alert("mock")</script></body></html>';

const PIECE = Buffer.alloc(64 * 1024, 'a');

/** Counts the bytes a fault has handed to the socket, so a test can see backpressure hold. */
export type WrittenCounter = (bytes: number) => void;

export function deliverFault(
  res: ServerResponse,
  fault: MockFault,
  key: string,
  rawBody: string,
  counted: WrittenCounter = () => undefined,
): void {
  switch (fault.kind) {
    case 'huge-body': {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.declareLength) headers['content-length'] = String(fault.bytes);
      res.writeHead(fault.status ?? 200, headers);
      res.write('{"filler":"');
      return writeFiller(res, fault.bytes - 13, () => res.end('"}'));
    }
    case 'huge-event':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"filler":"');
      return writeFiller(res, fault.bytes, () => res.end('"}\n\n'));
    case 'long-stream':
      return writeLongStream(res, fault.events, fault.eventBytes ?? 64, counted);
    case 'html-error':
      res.writeHead(fault.status, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(HTML_ERROR_PAGE);
    case 'echo-key': {
      const text = `Incorrect API key provided: ${key}. You sent: ${rawBody}`;
      const body =
        fault.json === false
          ? text
          : JSON.stringify({
              error: { message: text, type: 'invalid_request_error', code: 'invalid_api_key' },
            });
      res.writeHead(fault.status, {
        'content-type': fault.json === false ? 'text/plain' : 'application/json',
        ...fault.headers,
      });
      return void res.end(body);
    }
  }
}

/** Writes `bytes` filler bytes with backpressure, stopping early when the client goes away. */
function writeFiller(res: ServerResponse, bytes: number, done: () => void): void {
  let left = bytes;
  const pump = (): void => {
    while (left > 0) {
      if (res.destroyed) return;
      const piece = left >= PIECE.length ? PIECE : PIECE.subarray(0, left);
      left -= piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    done();
  };
  res.on('error', () => undefined);
  pump();
}

function writeLongStream(
  res: ServerResponse,
  events: number,
  eventBytes: number,
  counted: WrittenCounter,
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-long',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'mock-model',
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`;
  const content = chunk({ content: 'x'.repeat(eventBytes) }, null);
  let sent = 0;
  const pump = (): void => {
    while (sent < events) {
      if (res.destroyed) return;
      sent += 1;
      counted(content.length);
      if (!res.write(content)) return void res.once('drain', pump);
    }
    const usage = { prompt_tokens: 5, completion_tokens: events, total_tokens: events + 5 };
    res.end(
      `${chunk({}, 'stop')}data: ${JSON.stringify({ id: 'chatcmpl-long', object: 'chat.completion.chunk', created: 0, model: 'mock-model', choices: [], usage })}\n\ndata: [DONE]\n\n`,
    );
  };
  res.on('error', () => undefined);
  pump();
}
