import { connect } from 'node:net';
import { LifecycleService } from '../../src/common/lifecycle.service.js';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { waitFor } from '../support/usage-records.js';
import { startTestApp, TestApp } from '../support/test-app.js';

// A client that goes away mid-upload is routine traffic: one info line, not an error with a stack
// (which would let anyone flood the error log by opening and dropping uploads).
describe('client aborts while uploading', () => {
  let sut: TestApp;
  let proxyKey: string;
  let token: string;

  beforeAll(async () => {
    sut = await startTestApp({ engine: 'sqlite' });
    proxyKey = (await (await GatewayFixture.for(sut)).createProxyKey({ name: 'abort' })).key;
    token = await sut.login();
  });
  afterAll(() => sut.close());

  /** Sends the headers of a 100 kB JSON body and its first bytes, then drops the connection. */
  async function hangUpMidUpload(path: string, headers: string[], start: string): Promise<void> {
    const socket = connect(Number(new URL(sut.url).port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      [
        `POST ${path} HTTP/1.1`,
        'Host: 127.0.0.1',
        ...headers,
        'Content-Type: application/json',
        'Content-Length: 100000',
        '',
        start,
      ].join('\r\n'),
    );
    const lifecycle = sut.app.get(LifecycleService);
    await waitFor(() => lifecycle.requestsInFlight === 1, 5000, 'the gateway to take the request');
    socket.destroy();
  }

  const errorLines = () =>
    sut.logs.parsed().filter((entry) => entry.level === 'error' || entry.level === 'fatal');

  it('logs a client that hangs up mid-upload at info in one line, without a stack', async () => {
    await hangUpMidUpload(
      '/v1/chat/completions',
      [`Authorization: Bearer ${proxyKey}`],
      '{"model":"gpt-4o","messages":[',
    );

    const isAbortLine = (line: string) => line.includes('closed the connection while uploading');
    await waitFor(() => sut.logs.lines.some(isAbortLine), 5000, 'the upload abort log line');
    const entries = sut.logs.parsed();
    const abortLines = entries.filter((entry) => isAbortLine(JSON.stringify(entry)));
    expect(abortLines).toHaveLength(1);
    expect(abortLines[0].level).toBe('info');
    expect(errorLines()).toEqual([]);
    expect(sut.logs.text).not.toMatch(/\n\s+at /);
  });

  it('logs a client that hangs up mid-upload to the login route or /admin at info in one line, without a stack', async () => {
    const cases: Array<[string, string[]]> = [
      ['/admin/auth/login', []],
      ['/admin/groups', [`Authorization: Bearer ${token}`]],
    ];
    for (const [path, headers] of cases) {
      const from = sut.logs.lines.length;
      await hangUpMidUpload(path, headers, '{"username":"adm');
      const since = () => sut.logs.parsed().slice(from);
      await waitFor(() => since().length > 0, 5000, `the log line of the abort on ${path}`);
      await new Promise((resolve) => setTimeout(resolve, 300)); // a second line would come by now
      expect(since()).toEqual([
        expect.objectContaining({
          level: 'info',
          msg: 'request aborted',
          req: expect.objectContaining({ url: path }),
        }),
      ]);
      expect(sut.logs.lines.slice(from).join('\n')).not.toMatch(/\n\s+at |"stack"/);
    }
    expect(errorLines()).toEqual([]);
  });
});
