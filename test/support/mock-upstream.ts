import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { dialectOf, errorBodyFor, replyFor } from './mock-dialect.js';
import { deliverFault, FAULT_KINDS, MockFault } from './mock-faults.js';
import { errorBody, MockUsage, OpenAiRequestBody } from './mock-openai-wire.js';

/** What the mock does with one request. Stream behaviors apply to non-stream bodies too (sent in pieces). */
export type MockBehavior =
  | { kind: 'ok'; content?: string; delayMs?: number; usage?: Partial<MockUsage> }
  /** Default body: an error JSON for the status, in the request's dialect (OpenAI, Anthropic, Gemini). */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Never answers; the request ends when the client gives up. */
  | { kind: 'hang' }
  | { kind: 'slow-stream'; chunkDelayMs: number; chunks?: number }
  | { kind: 'first-byte-delay'; delayMs: number }
  /** Sends that many chunks (SSE events, or pieces of a JSON body), then destroys the socket. */
  | { kind: 'cut-stream'; afterChunks: number }
  /** Destroys the socket before answering. */
  | { kind: 'reset' }
  | { kind: 'redirect'; location: string }
  /** Hostile answers: huge bodies, HTML errors, key echoes (see mock-faults.ts). */
  | MockFault;

export interface MockRequest {
  readonly method: string;
  readonly path: string;
  /** The query string without `?`. */
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  /** The bearer token, else the `api-key`, `x-api-key` (Anthropic) or `x-goog-api-key` (Gemini) header. */
  readonly key?: string;
}

export interface MockUpstreamOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /** Keep `requests` (off for the benchmark, where it would only grow). Default true. */
  readonly record?: boolean;
  /** What `GET /models` lists. */
  readonly models?: readonly string[];
}

const OK: MockBehavior = { kind: 'ok' };
const DEFAULT_MODELS = ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small'];
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

/**
 * A real HTTP server on 127.0.0.1 speaking the OpenAI (and Azure OpenAI) wire format, scriptable
 * per key and per request to fail, stall, stream slowly, cut, reset or redirect. It is also the
 * benchmark's upstream, so the default path stays lean.
 */
export class MockUpstream {
  readonly requests: MockRequest[] = [];
  private readonly scripts = new Map<string, MockBehavior[]>();
  private readonly defaults = new Map<string, MockBehavior>();
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly cutByUs = new WeakSet<ServerResponse>();
  private abortWaiters: Array<() => void> = [];
  private abortCount = 0;
  private abortsAwaited = 0;
  private connectionsAccepted = 0;
  private faultBytes = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: MockUpstreamOptions,
  ) {}

  static async start(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
    const server = createServer({ keepAlive: true, noDelay: true, requestTimeout: 0 });
    server.keepAliveTimeout = 30_000;
    const mock = new MockUpstream(server, options);
    server.on('request', (req, res) => mock.receive(req, res));
    server.on('connection', (socket: Socket) => {
      mock.sockets.add(socket);
      mock.connectionsAccepted += 1;
      socket.once('close', () => mock.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    return mock;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The OpenAI base URL, `http://127.0.0.1:PORT/v1` (Azure paths hang off `origin`). */
  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  /** TCP connections accepted since start (or the last reset): keep-alive shows as few. */
  get connectionCount(): number {
    return this.connectionsAccepted;
  }

  /** Bytes the streaming faults have written so far (since start or the last reset). */
  get faultBytesWritten(): number {
    return this.faultBytes;
  }

  /** Requests whose client went away before the answer was complete. */
  get aborted(): number {
    return this.abortCount;
  }

  /** Queues behaviors for the next requests with this key (`'*'`: any key), consumed in order. */
  script(key: string, ...behaviors: MockBehavior[]): this {
    const queue = this.scripts.get(key) ?? [];
    queue.push(...behaviors);
    this.scripts.set(key, queue);
    return this;
  }

  /** What requests with this key (`'*'`: any key) get once their script is used up. */
  setDefault(key: string, behavior: MockBehavior): this {
    this.defaults.set(key, behavior);
    return this;
  }

  reset(): void {
    this.scripts.clear();
    this.defaults.clear();
    this.requests.length = 0;
    this.abortCount = 0;
    this.abortsAwaited = 0;
    this.connectionsAccepted = 0;
    this.faultBytes = 0;
  }

  /** Resolves at the next client abort not yet awaited (one already seen counts). */
  waitForAbort(timeoutMs = 1000): Promise<void> {
    if (this.abortCount > this.abortsAwaited) {
      this.abortsAwaited += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.abortWaiters = this.abortWaiters.filter((w) => w !== waiter);
        reject(new Error(`no client abort reached the mock upstream within ${timeoutMs} ms`));
      }, timeoutMs);
      this.abortWaiters.push(waiter);
    });
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    res.on('close', () => {
      if (!res.writableFinished && !this.cutByUs.has(res)) this.recordAbort();
    });
    res.on('error', () => undefined);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () =>
      this.route(req, res, chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8')),
    );
  }

  private route(req: IncomingMessage, res: ServerResponse, rawBody: string): void {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    let body: OpenAiRequestBody = {};
    try {
      if (rawBody.length > 0) body = JSON.parse(rawBody) as OpenAiRequestBody;
    } catch {
      return this.send(
        res,
        400,
        errorBody(400, 'We could not parse the JSON body of your request (mock upstream)'),
      );
    }
    const request: MockRequest = {
      method: req.method ?? 'GET',
      path: queryAt === -1 ? url : url.slice(0, queryAt),
      query: queryAt === -1 ? '' : url.slice(queryAt + 1),
      headers: req.headers,
      body,
      key: keyOf(req.headers),
    };
    if (this.options.record !== false) this.requests.push(request);
    const behavior = this.next(request.key ?? '');
    if (FAULT_KINDS.has(behavior.kind))
      return deliverFault(res, behavior as MockFault, request.key ?? '', rawBody, (bytes) => {
        this.faultBytes += bytes;
      });
    switch (behavior.kind) {
      case 'hang':
        return;
      case 'reset':
        this.cutByUs.add(res);
        req.socket.destroy();
        return;
      case 'redirect':
        res.writeHead(302, { location: behavior.location, 'content-length': '0' }).end();
        return;
      case 'status': {
        const { body: custom, status } = behavior;
        const text =
          custom === undefined
            ? errorBodyFor(dialectOf(request.path, request.headers), status)
            : typeof custom === 'string'
              ? custom
              : JSON.stringify(custom);
        return this.send(res, status, text, behavior.headers);
      }
      case 'ok':
      case 'first-byte-delay':
        if (behavior.delayMs) return this.later(behavior.delayMs, () => this.answer(request, res, behavior));
        return this.answer(request, res, behavior);
      default:
        return this.answer(request, res, behavior);
    }
  }

  private answer(request: MockRequest, res: ServerResponse, behavior: MockBehavior): void {
    if (res.destroyed) return;
    const dialect = dialectOf(request.path, request.headers);
    const reply = replyFor(
      dialect,
      request.method,
      request.path,
      request.query,
      request.body as OpenAiRequestBody,
      {
        content: behavior.kind === 'ok' ? behavior.content : undefined,
        usage: behavior.kind === 'ok' ? behavior.usage : undefined,
        chunks: behavior.kind === 'slow-stream' ? behavior.chunks : undefined,
        models: this.options.models ?? DEFAULT_MODELS,
      },
    );
    if (reply.status !== 200) return this.send(res, reply.status, reply.payloads[0]);
    this.deliver(res, behavior, reply.payloads, reply.stream);
  }

  /** Writes a body as it should arrive: at once, piece by piece with gaps, or cut short. */
  private deliver(res: ServerResponse, behavior: MockBehavior, payloads: string[], stream: boolean): void {
    if (behavior.kind !== 'slow-stream' && behavior.kind !== 'cut-stream') {
      if (!stream) return this.send(res, 200, payloads[0]);
      res.writeHead(200, SSE_HEADERS);
      res.end(payloads.map(sseEvent).join(''));
      return;
    }
    // Stream: one SSE event per piece. JSON: four pieces of one body with its full content-length.
    const pieces = stream ? payloads.map(sseEvent) : splitInPieces(payloads[0], 4);
    res.writeHead(
      200,
      stream
        ? SSE_HEADERS
        : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payloads[0])) },
    );
    if (behavior.kind === 'slow-stream') {
      res.flushHeaders(); // headers now, the body in slow pieces
      return this.drip(res, pieces, 0, behavior.chunkDelayMs);
    }
    const cut = (): void => {
      this.cutByUs.add(res);
      res.socket?.destroy();
    };
    const sent = pieces.slice(0, behavior.afterChunks).join('');
    // Let what was written reach the client before the socket goes.
    if (sent.length === 0) {
      res.flushHeaders();
      this.later(20, cut);
    } else {
      res.write(sent, () => this.later(20, cut));
    }
  }

  private drip(res: ServerResponse, pieces: string[], index: number, delayMs: number): void {
    this.later(delayMs, () => {
      if (res.destroyed) return;
      if (index >= pieces.length - 1) return void res.end(pieces[index]);
      res.write(pieces[index]);
      this.drip(res, pieces, index + 1, delayMs);
    });
  }

  private send(res: ServerResponse, status: number, text: string, headers?: Record<string, string>): void {
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  }

  private next(key: string): MockBehavior {
    return (
      this.scripts.get(key)?.shift() ??
      this.scripts.get('*')?.shift() ??
      this.defaults.get(key) ??
      this.defaults.get('*') ??
      OK
    );
  }

  private recordAbort(): void {
    this.abortCount += 1;
    const waiter = this.abortWaiters.shift();
    if (waiter) {
      this.abortsAwaited += 1;
      waiter();
    }
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }
}

function keyOf(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7);
  const apiKey = headers['api-key'] ?? headers['x-api-key'] ?? headers['x-goog-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}

// A payload that starts with its `event:` line (Anthropic's streams) is already framed.
function sseEvent(data: string): string {
  return data.startsWith('event: ') ? `${data}\n\n` : `data: ${data}\n\n`;
}

function splitInPieces(text: string, count: number): string[] {
  const size = Math.ceil(text.length / count);
  return Array.from({ length: count }, (_, i) => text.slice(i * size, (i + 1) * size)).filter(
    (piece) => piece.length > 0,
  );
}
