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

  beforeAll(async () => {
    sut = await startTestApp({ engine: 'sqlite' });
    proxyKey = (await (await GatewayFixture.for(sut)).createProxyKey({ name: 'abort' })).key;
  });
  afterAll(() => sut.close());

  it('logs a client that hangs up mid-upload at info in one line, without a stack', async () => {
    const port = Number(new URL(sut.url).port);
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      [
        'POST /v1/chat/completions HTTP/1.1',
        'Host: 127.0.0.1',
        `Authorization: Bearer ${proxyKey}`,
        'Content-Type: application/json',
        'Content-Length: 100000',
        '',
        '{"model":"gpt-4o","messages":[',
      ].join('\r\n'),
    );
    const lifecycle = sut.app.get(LifecycleService);
    await waitFor(() => lifecycle.requestsInFlight === 1, 5000, 'the gateway to take the request');
    socket.destroy();

    const isAbortLine = (line: string) => line.includes('closed the connection while uploading');
    await waitFor(() => sut.logs.lines.some(isAbortLine), 5000, 'the upload abort log line');
    const entries = sut.logs.parsed();
    const abortLines = entries.filter((entry) => isAbortLine(JSON.stringify(entry)));
    expect(abortLines).toHaveLength(1);
    expect(abortLines[0].level).toBe('info');
    expect(entries.filter((entry) => entry.level === 'error' || entry.level === 'fatal')).toEqual([]);
    expect(sut.logs.text).not.toMatch(/\n\s+at /);
  });
});
