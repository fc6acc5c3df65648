import { HTML_ERROR_PAGE } from '../support/mock-faults.js';
import { GatewayFixture } from '../support/gateway-fixture.js';
import { MockUpstream } from '../support/mock-upstream.js';
import { startTestApp, TestApp } from '../support/test-app.js';

const chat = { model: 'm-html', messages: [{ role: 'user', content: 'hello' }] };

// An upstream (or a proxy in front of it) answering a client error with an HTML page must not get
// that markup served from the gateway's origin: it reaches the client wrapped in OpenAI's error shape.
describe('non-JSON upstream error bodies', () => {
  let sut: TestApp;
  let mock: MockUpstream;
  let proxyKey: string;

  beforeAll(async () => {
    mock = await MockUpstream.start();
    sut = await startTestApp({ engine: 'sqlite' });
    const gw = await GatewayFixture.for(sut);
    await gw.createGroup({
      groupName: 'g-html',
      baseUrl: mock.baseUrl,
      apiKeys: ['upstream-html-key-0001'],
      models: ['m-html'],
    });
    proxyKey = (await gw.createProxyKey({ name: 'html' })).key;
  });
  afterAll(async () => {
    await sut.close();
    await mock.stop();
  });

  it('does not serve an upstream HTML error page as text/html from the gateway origin', async () => {
    mock.script('*', { kind: 'html-error', status: 404 });
    const res = await sut
      .http()
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${proxyKey}`)
      .send(chat)
      .expect(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'upstream_client_error' });
    expect(res.body.error.message).toContain('The upstream answered 404');
    expect(res.text).not.toContain(HTML_ERROR_PAGE);
  });

  it('passes a JSON upstream client error through in its own shape', async () => {
    mock.script('*', {
      kind: 'status',
      status: 422,
      body: { error: { message: 'bad field', type: 'invalid_request_error', code: 'bad' } },
    });
    const res = await sut
      .http()
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${proxyKey}`)
      .send(chat)
      .expect(422);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({ error: { message: 'bad field', type: 'invalid_request_error', code: 'bad' } });
  });
});
