import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  readonly status: number;
  readonly raw: string;
  readonly body: Record<string, unknown>;
}

/** A local webhook endpoint on 127.0.0.1 recording every POST; it can fail the first N calls. */
export class WebhookReceiver {
  readonly calls: ReceivedCall[] = [];
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    private failuresLeft: number,
  ) {}

  static async start(options: { failFirst?: number } = {}): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server, options.failFirst ?? 0);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const status = receiver.failuresLeft > 0 ? 500 : 200;
        if (receiver.failuresLeft > 0) receiver.failuresLeft -= 1;
        receiver.calls.push({ status, raw, body: JSON.parse(raw || '{}') as Record<string, unknown> });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'try again');
        receiver.waiters.splice(0).forEach((wake) => wake());
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Bodies of the calls answered 200. */
  get delivered(): Array<Record<string, unknown>> {
    return this.calls.filter((call) => call.status === 200).map((call) => call.body);
  }

  /** Resolves once `predicate` holds, or rejects after `timeoutMs`. */
  async waitFor(predicate: (receiver: WebhookReceiver) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `webhook receiver: condition not met within ${timeoutMs} ms (${this.calls.length} calls)`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
