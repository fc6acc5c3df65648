import { UsageRecord } from '../usage-record.js';
import { cutContent, toRequestLogRow } from './request-log-row.js';

const record = (extra: Partial<UsageRecord> = {}): UsageRecord => ({
  requestId: 'req-1',
  at: new Date('2025-01-02T03:04:05.678Z'),
  model: 'gpt-4o',
  pinned: false,
  stream: true,
  status: 200,
  attempts: 1,
  latencyMs: 12.6,
  endpoint: '/v1/chat/completions',
  ...extra,
});

const detailed = { detailedContent: true, maxContentLength: 40 };

describe(toRequestLogRow.name, () => {
  it('keeps every field, with absent optionals as NULL', () => {
    const sut = toRequestLogRow(record({ groupId: 3, promptTokens: 5 }), {
      detailedContent: false,
      maxContentLength: 100,
    });
    expect(sut).toMatchObject({
      requestId: 'req-1',
      model: 'gpt-4o',
      groupId: 3,
      upstreamKeyId: null,
      stream: true,
      latencyMs: 13,
      promptTokens: 5,
      completionTokens: null,
      requestBody: null,
    });
  });

  it('redacts keys in the error message and bodies, and cuts bodies at maxContentLength', () => {
    const secret = 'sk-live0123456789abcdef';
    const sut = toRequestLogRow(
      record({
        errorMessage: `upstream said: invalid key ${secret}`,
        requestBody: `{"auth":"${secret}","pad":"${'x'.repeat(100)}"}`,
        responseBody: 'ok',
      }),
      detailed,
    );
    expect(sut.errorMessage).toBe('upstream said: invalid key [redacted]');
    expect(sut.requestBody).toBe(`{"auth":"[redacted]","pad":"${'x'.repeat(12)}`);
    expect(sut.requestBody).toHaveLength(40);
    expect(sut.responseBody).toBe('ok');
  });

  it('redacts a secret that straddles the cut instead of keeping its head', () => {
    const sut = toRequestLogRow(record({ requestBody: `${'a'.repeat(35)} sk-abcdefghijklmnop` }), detailed);
    expect(sut.requestBody).toBe(`${'a'.repeat(35)} [red`);
  });

  it('drops bodies when detailed logging is off', () => {
    const sut = toRequestLogRow(record({ requestBody: 'hello', responseBody: 'world' }), {
      ...detailed,
      detailedContent: false,
    });
    expect([sut.requestBody, sut.responseBody]).toEqual([null, null]);
  });

  it('cuts over-long text to the column and bounds numbers, so no engine refuses the row', () => {
    const sut = toRequestLogRow(
      record({
        model: 'm'.repeat(1000),
        errorMessage: 'e'.repeat(2000),
        latencyMs: 1e12,
        promptTokens: -4,
        totalTokens: Number.NaN,
      }),
      detailed,
    );
    expect(sut.model).toHaveLength(200);
    expect(sut.errorMessage).toHaveLength(500);
    expect(sut.latencyMs).toBe(2_147_483_647);
    expect(sut.promptTokens).toBe(0);
    expect(sut.totalTokens).toBeNull();
  });
});

describe(cutContent.name, () => {
  it('bounds what the queue holds, leaving room to redact at write time', () => {
    expect(cutContent('x'.repeat(10_000), 100)).toHaveLength(356);
    expect(cutContent('short', 100)).toBe('short');
    expect(cutContent(undefined, 100)).toBeUndefined();
  });
});
