import { AddressInfo, createServer, Server, Socket } from 'node:net';

/**
 * A TCP relay the test controls, put between the app and a server (MariaDB) to simulate an
 * outage: `cut()` drops every connection and refuses new ones; `stall()` keeps every connection
 * open but loses whatever is sent either way (a dead network path: no reset, no answer), and new
 * connections get no answer; `restore()` lets data through again. A request lost in a stall stays
 * unanswered after it: only a client-side timeout gets its connection out.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private open = true;
  private stalled = false;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  get hostPort(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((client) => this.relay(client));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  cut(): void {
    this.open = false;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  stall(): void {
    this.stalled = true;
  }

  restore(): void {
    this.open = true;
    this.stalled = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private relay(client: Socket): void {
    if (!this.open) {
      client.destroy();
      return;
    }
    this.track(client);
    if (this.stalled) {
      client.on('error', () => client.destroy()).resume(); // accepted, never answered
      return;
    }
    const upstream = new Socket();
    this.track(upstream);
    upstream.connect(this.targetPort, this.targetHost, () => {
      client.on('data', (chunk) => this.stalled || upstream.write(chunk));
      upstream.on('data', (chunk) => this.stalled || client.write(chunk));
    });
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', closeBoth).on('close', closeBoth);
    upstream.on('error', closeBoth).on('close', closeBoth);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }
}
