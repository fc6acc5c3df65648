import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../config/app-config.js';
import type { RoutableGroup } from '../routing/routing-snapshot.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { KeyProber, probeModel } from './key-prober.service.js';

const SECRET = 'sk-prober-secret-123456';

describe(KeyProber.name, () => {
  let server: Server;
  let answer: (path: string, res: import('node:http').ServerResponse) => void;
  let seen: Array<{ method?: string; url?: string; auth?: string; body: string }>;
  let client: UpstreamClient;
  let sut: KeyProber;

  const group = (over: Partial<RoutableGroup> = {}): RoutableGroup => ({
    id: 1,
    name: 'g',
    providerType: 'openai',
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    models: ['gpt-4*', 'gpt-4o-mini'],
    modelMap: {},
    balancePolicy: 'round_robin',
    retryCount: 0,
    timeoutSeconds: 5,
    priority: 1,
    weight: 1,
    parameters: {},
    headers: {},
    probe: { kind: 'models' },
    keys: [],
    ...over,
  });
  const key = { id: 7, groupId: 1, masked: 'sk-…3456', secret: SECRET, weight: 1 };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          method: req.method,
          url: req.url,
          auth: req.headers.authorization,
          body: Buffer.concat(chunks).toString(),
        });
        answer(req.url ?? '', res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new UpstreamClient({ upstreamDenyPrivate: false } as AppConfig);
    sut = new KeyProber(client);
  });
  beforeEach(() => (seen = []));
  afterAll(async () => {
    await client.onModuleDestroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('passes on a 2xx from GET /models with the key', async () => {
    answer = (_path, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}');
    await expect(sut.probe(group(), key, 1000)).resolves.toEqual({
      ok: true,
      status: 200,
      latencyMs: expect.any(Number),
      invalidatesKey: false,
    });
    expect(seen).toEqual([{ method: 'GET', url: '/v1/models', auth: `Bearer ${SECRET}`, body: '' }]);
  });

  it('sends a 1-token chat completion when the group asks for one', async () => {
    answer = (_path, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    await sut.probe(group({ probe: { kind: 'chat' } }), key, 1000);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/chat/completions' });
    expect(JSON.parse(seen[0].body)).toMatchObject({ model: 'gpt-4o-mini', max_completion_tokens: 1 });
  });

  it('fails on a 401 with the upstream’s message, redacted, and says the key is bad', async () => {
    answer = (_path, res) =>
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: `Incorrect API key provided: ${SECRET}` } }));
    const result = await sut.probe(group(), key, 1000);
    expect(result).toMatchObject({
      ok: false,
      status: 401,
      invalidatesKey: true,
      error: expect.stringContaining('upstream answered 401: Incorrect API key provided'),
    });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it("probes a Gemini key with the provider's own call and reads a bad key from the error body", async () => {
    answer = (_path, res) =>
      res.writeHead(400, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error: {
            code: 400,
            message: 'API key not valid. Please pass a valid API key.',
            status: 'INVALID_ARGUMENT',
            details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }],
          },
        }),
      );
    const result = await sut.probe(group({ providerType: 'gemini' }), key, 1000);
    expect(result).toMatchObject({ ok: false, status: 400, invalidatesKey: true });
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/v1/models', auth: undefined });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('probes an Anthropic key with a 1-token message when the group asks for a chat probe', async () => {
    answer = (_path, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    const anthropic = group({ providerType: 'anthropic', probe: { kind: 'chat' }, models: ['claude-x'] });
    await expect(sut.probe(anthropic, key, 1000)).resolves.toMatchObject({ ok: true, status: 200 });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/messages' });
    expect(JSON.parse(seen[0].body)).toEqual({
      model: 'claude-x',
      max_tokens: 1,
      messages: [{ role: 'user', content: 'ping' }],
    });
  });

  it('gives up on a hung upstream at its deadline', async () => {
    answer = () => undefined; // never answers
    const started = Date.now();
    const result = await sut.probe(group(), key, 300);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^timeout: /) });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('fails on a refused connection, and skips a probe that was aborted', async () => {
    await expect(sut.probe(group({ baseUrl: 'http://127.0.0.1:9/v1' }), key, 1000)).resolves.toMatchObject({
      ok: false,
      error: expect.stringMatching(/^network: /),
    });
    answer = () => undefined;
    const controller = new AbortController();
    const pending = sut.probe(group(), key, 5000, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(pending).resolves.toEqual({ skipped: 'aborted' });
  });
});

describe('probeModel', () => {
  const base = { probe: { kind: 'chat' as const }, models: ['gpt-4*', 'gpt-4o'], modelMap: {} };
  it('prefers the probe’s model, then the first concrete one, then a modelMap target', () => {
    expect(probeModel({ ...base, probe: { kind: 'chat', model: 'tiny' } })).toBe('tiny');
    expect(probeModel(base)).toBe('gpt-4o');
    expect(probeModel({ ...base, models: ['*'], modelMap: { fast: 'gpt-4o-mini' } })).toBe('gpt-4o-mini');
  });
});
