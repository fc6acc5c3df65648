import { ExpressAdapter } from '@nestjs/platform-express';
import express from 'express';
import { createServer } from 'node:http';

export interface ServerTimeouts {
  headersTimeoutMs: number;
  bodyReadTimeoutMs: number;
}

// The gateway answers a slow body with 408 itself; Node's own limit is the backstop behind it.
const BACKSTOP_MS = 5000;

/**
 * Nest's Express adapter on an Express app that matches routes by exact case and trailing slash,
 * and on an HTTP server that drops clients too slow to send their headers or request. Node checks
 * those deadlines on an interval (30 s by default), hence the shorter one.
 */
export class TimedExpressAdapter extends ExpressAdapter {
  constructor(private readonly timeouts: ServerTimeouts) {
    const instance = express();
    instance.set('case sensitive routing', true);
    instance.set('strict routing', true);
    super(instance);
  }

  override initHttpServer(): void {
    const { headersTimeoutMs, bodyReadTimeoutMs } = this.timeouts;
    this.httpServer = createServer(
      {
        headersTimeout: headersTimeoutMs,
        requestTimeout: headersTimeoutMs + bodyReadTimeoutMs + BACKSTOP_MS,
        connectionsCheckingInterval: Math.min(1000, headersTimeoutMs),
      },
      this.getInstance(),
    );
  }
}
