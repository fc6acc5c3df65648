import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import { AbortLatch, CancelSignal, onCancel } from '../common/abort-latch.js';
import { AppConfig } from '../config/app-config.js';
import type { HttpRequestSpec } from './adapter.js';
import { guardedLookup, type Lookup, UPSTREAM_LOOKUP } from './guarded-lookup.js';
import { ClientAbortError, UpstreamResponseTooLargeError, UpstreamTimeoutError } from './upstream-error.js';
import { assertAllowedUpstreamUrl } from './upstream-url-guard.js';

/** Per-attempt deadlines in ms; 0 disables one. */
export interface UpstreamDeadlines {
  /** TCP + TLS handshake of a new connection. One pool set per distinct value: keep it a constant. */
  readonly connectMs: number;
  /** From the request being written to the response headers (undici checks it with ~1 s resolution). */
  readonly firstByteMs: number;
  /**
   * The longest gap between body chunks, including headers → first chunk: a stream's wait for its
   * first token counts here (~1 s resolution, like firstByteMs).
   */
  readonly idleMs: number;
  /** The whole attempt, body included: the group's `timeout`. */
  readonly totalMs: number;
}

/** The response body: yields Buffers, applies backpressure, and must be consumed, discarded or destroyed. */
export type UpstreamBody = AsyncIterable<Buffer> & Readable;

export interface UpstreamResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: UpstreamBody;
  /**
   * The whole body as text, at most `maxBytes` (default `UPSTREAM_MAX_RESPONSE_BYTES`): a larger
   * body is cut off and rejects with UpstreamResponseTooLargeError, so one answer cannot fill memory.
   */
  text(maxBytes?: number): Promise<string>;
  /** Drains a small body so the connection can be reused (or closes it when the body is large). */
  discard(): Promise<void>;
}

const POOL_OPTIONS = {
  connections: 128, // per origin
  pipelining: 1,
  keepAliveTimeout: 4_000, // when the server sends no Keep-Alive hint; a hint (less a margin) wins
  keepAliveMaxTimeout: 60_000,
} as const;
const DISCARD_LIMIT_BYTES = 64 * 1024;
const MAX_CACHED_ORIGINS = 1024;

/**
 * The one place that does HTTP to upstreams: keep-alive pools per origin (undici), deadlines for
 * connect, first byte, idle gap and total, no redirects (a 3xx is returned as it is). Errors are
 * undici's or ours (UpstreamTimeoutError, ClientAbortError); `classifyAttempt` reads them all.
 */
@Injectable()
export class UpstreamClient implements OnModuleDestroy {
  // undici sets the connect timeout per Agent, so there is one Agent per distinct connectMs.
  private readonly agents = new Map<number, Agent>();
  private readonly checkedOrigins = new Set<string>();
  private readonly denyPrivate: boolean;
  // Every new connection's host name is resolved through the URL guard (metadata, private).
  private readonly lookup: LookupFunction;
  private readonly maxResponseBytes: number;

  constructor(config: AppConfig, @Optional() @Inject(UPSTREAM_LOOKUP) lookup?: Lookup) {
    this.denyPrivate = config.upstreamDenyPrivate;
    this.lookup = guardedLookup({ denyPrivate: this.denyPrivate }, lookup);
    this.maxResponseBytes = config.upstreamMaxResponseBytes;
  }

  async send(
    spec: HttpRequestSpec,
    deadlines: UpstreamDeadlines,
    signal?: CancelSignal,
  ): Promise<UpstreamResponse> {
    const pathStart = spec.url.indexOf('/', spec.url.indexOf('//') + 2);
    const origin = pathStart === -1 ? spec.url : spec.url.slice(0, pathStart);
    const path = pathStart === -1 ? '/' : spec.url.slice(pathStart);
    this.checkOrigin(origin);
    if (signal?.aborted) throw new ClientAbortError(signal.reason);
    const deadline = new AttemptDeadline(deadlines.totalMs, signal);
    try {
      const response = await this.agentFor(deadlines.connectMs).request({
        origin,
        path,
        method: spec.method,
        headers: spec.headers,
        body: spec.body,
        headersTimeout: deadlines.firstByteMs,
        bodyTimeout: deadlines.idleMs,
        signal: deadline.signal,
      });
      response.body.once('close', deadline.release);
      return new PooledResponse(response, this.maxResponseBytes);
    } catch (error) {
      deadline.release();
      throw error;
    }
  }

  async onModuleDestroy(): Promise<void> {
    // The app drained its requests before modules close; whatever is left (a probe) is cut.
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map((agent) => agent.destroy()));
  }

  private agentFor(connectMs: number): Agent {
    let agent = this.agents.get(connectMs);
    if (agent === undefined) {
      agent = new Agent({ ...POOL_OPTIONS, connect: { timeout: connectMs, lookup: this.lookup } });
      this.agents.set(connectMs, agent);
    }
    return agent;
  }

  private checkOrigin(origin: string): void {
    if (this.checkedOrigins.has(origin)) return;
    assertAllowedUpstreamUrl(origin, { denyPrivate: this.denyPrivate });
    if (this.checkedOrigins.size >= MAX_CACHED_ORIGINS) this.checkedOrigins.clear();
    this.checkedOrigins.add(origin);
  }
}

/** The total deadline and the caller's signal, combined into the one signal undici watches. */
class AttemptDeadline extends AbortLatch {
  private readonly timer?: NodeJS.Timeout;
  private readonly stopWatchingCaller?: () => void;

  constructor(
    private readonly totalMs: number,
    callerSignal?: CancelSignal,
  ) {
    super();
    if (totalMs > 0) this.timer = setTimeout(abortOnTotalTimeout, totalMs, this).unref();
    if (callerSignal)
      this.stopWatchingCaller = onCancel(callerSignal, () =>
        this.abort(new ClientAbortError(callerSignal.reason)),
      );
  }

  get signal(): AbortLatch {
    return this;
  }

  timeout(): void {
    this.abort(new UpstreamTimeoutError('total', this.totalMs));
  }

  // Runs when the body closes (consumed, discarded, destroyed or failed) or the request fails.
  readonly release = (): void => {
    clearTimeout(this.timer);
    this.stopWatchingCaller?.();
  };
}

function abortOnTotalTimeout(deadline: AttemptDeadline): void {
  deadline.timeout();
}

class PooledResponse implements UpstreamResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: UpstreamBody;

  constructor(
    private readonly response: Dispatcher.ResponseData,
    private readonly maxResponseBytes: number,
  ) {
    this.status = response.statusCode;
    this.headers = response.headers;
    this.body = response.body as unknown as UpstreamBody;
  }

  text(maxBytes = this.maxResponseBytes): Promise<string> {
    const declared = Number(this.headers['content-length']);
    if (declared > maxBytes) {
      this.body.destroy();
      return Promise.reject(new UpstreamResponseTooLargeError(maxBytes));
    }
    // A declared length is enforced by undici: the fast path reads it whole.
    if (Number.isInteger(declared)) return this.response.body.text();
    return readCapped(this.body, maxBytes);
  }

  async discard(): Promise<void> {
    await this.response.body.dump({ limit: DISCARD_LIMIT_BYTES });
  }
}

/** Reads a body of unknown length, destroying it as soon as it passes `maxBytes`. */
async function readCapped(body: UpstreamBody, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new UpstreamResponseTooLargeError(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
