import { connect, Socket } from 'node:net';
import { describeEachEngine } from '../support/engines.js';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { startTestApp, TestApp } from '../support/test-app.js';

interface RawAnswer {
  status: number | undefined;
  body: string;
  /** Milliseconds from connecting until the server closed the connection. */
  closedAfterMs: number;
}

/**
 * Sends `head` then the start of a body, and keeps the connection open (optionally trickling a
 * chunk every `trickleMs`) until the server answers and closes it.
 */
function slowRequest(
  port: number,
  head: string,
  start: string,
  trickle?: { everyMs: number; chunk: string },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const began = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      socket.write(head + start);
      if (trickle) timer = setInterval(() => socket.writable && socket.write(trickle.chunk), trickle.everyMs);
    });
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined); // a reset is also a close
    socket.on('close', () => {
      clearInterval(timer);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];
      resolve({
        status: status === undefined ? undefined : Number(status),
        body: received.slice(received.indexOf('\r\n\r\n') + 4),
        closedAfterMs: Date.now() - began,
      });
    });
    setTimeout(() => reject(new Error('the server never closed the connection')), 20_000).unref();
  });
}

const postHead = (path: string, length: number, extra = '') =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;

describeEachEngine('slow uploads', (engine) => {
  let sut: TestApp;
  let port: number;
  let token: string;
  let proxyKey: string;

  beforeAll(async () => {
    sut = await startTestApp({
      engine,
      env: { BODY_READ_TIMEOUT_SECONDS: '1', HEADERS_TIMEOUT_SECONDS: '1' },
    });
    port = Number(new URL(sut.url).port);
    const gw = await GatewayFixture.for(sut);
    token = await sut.login();
    proxyKey = (await gw.createProxyKey()).key;
  });
  afterAll(() => sut.close());

  it('cuts off a slow-loris body on the public login route with 408 in the admin shape', async () => {
    const res = await slowRequest(port, postHead('/admin/auth/login', 200), '{"username":"adm');
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body)).toMatchObject({ statusCode: 408, message: expect.any(String) });
    expect(res.closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(res.closedAfterMs).toBeLessThan(10_000);
  });

  it('cuts off a slow body on /admin and /api with 408 in their shapes', async () => {
    const auth = `Authorization: Bearer ${token}\r\n`;
    const admin = await slowRequest(port, postHead('/admin/groups', 500, auth), '{"groupName":');
    expect(admin.status).toBe(408);
    expect(JSON.parse(admin.body)).toMatchObject({ statusCode: 408 });
    const api = await slowRequest(
      port,
      postHead('/api/health-check/config', 500, auth).replace('POST', 'PUT'),
      '{',
    );
    expect(api.status).toBe(408);
    expect(JSON.parse(api.body)).toEqual({ code: 408, message: expect.any(String) });
  });

  it('cuts off a slow-loris body on /v1 with 408 in the OpenAI shape', async () => {
    const res = await slowRequest(
      port,
      postHead('/v1/chat/completions', 500, `Authorization: Bearer ${proxyKey}\r\n`),
      '{"model":',
    );
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'request_timeout' });
    expect(res.closedAfterMs).toBeLessThan(10_000);
  });

  it('cuts off a body trickled a byte at a time (the deadline is for the whole body, not between bytes)', async () => {
    const head = `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${proxyKey}\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const res = await slowRequest(port, head, '1\r\n{\r\n', { everyMs: 100, chunk: '1\r\n \r\n' });
    expect(res.status).toBe(408);
    expect(res.closedAfterMs).toBeLessThan(10_000);
    const login = `POST /admin/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const admin = await slowRequest(port, login, '1\r\n{\r\n', { everyMs: 100, chunk: '1\r\n \r\n' });
    expect(admin.status).toBe(408);
  });

  it('drops a client that never finishes its headers (slow-loris headers)', async () => {
    const res = await slowRequest(
      port,
      'POST /admin/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n',
      'X-Slow: 1\r\n',
      {
        everyMs: 200,
        chunk: 'X-Slow: 1\r\n',
      },
    );
    expect(res.status === undefined || res.status === 408).toBe(true);
    expect(res.closedAfterMs).toBeLessThan(10_000);
  });
});
