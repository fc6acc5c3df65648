import { diffChanges, REDACTED, redactChanges, updateAction } from './audit-changes.js';

describe('redactChanges', () => {
  it('replaces credential-like fields at any depth and keeps the rest', () => {
    const sut = redactChanges({
      groupName: 'openai-primary',
      apiKeys: ['sk-secret-1'],
      apiKey: 'sk-secret-2',
      key: 'sk-sy-secret-3',
      tokenBudget: 1000,
      parameters: { max_tokens: 10 },
      headers: { Authorization: 'Bearer x', 'x-api-key': 'y', 'X-Trace': 'keep' },
      nested: { from: { clientSecret: 'z', password: 'p' }, to: null },
    });
    expect(sut).toEqual({
      groupName: 'openai-primary',
      apiKeys: REDACTED,
      apiKey: REDACTED,
      key: REDACTED,
      tokenBudget: 1000,
      parameters: { max_tokens: 10 },
      headers: { Authorization: REDACTED, 'x-api-key': REDACTED, 'X-Trace': 'keep' },
      nested: { from: { clientSecret: REDACTED, password: REDACTED }, to: null },
    });
  });

  it('redacts the extra fields a caller names', () => {
    expect(redactChanges({ url: 'https://hooks.example/secret-path', name: 'x' }, ['url'])).toEqual({
      url: REDACTED,
      name: 'x',
    });
  });
});

describe('diffChanges', () => {
  it('lists only the fields that differ, as from/to pairs', () => {
    expect(
      diffChanges(
        { a: 1, b: [1, 2], c: { x: 1 }, d: 'same' },
        { a: 2, b: [1, 2], c: { x: 2 }, d: 'same', e: true },
      ),
    ).toEqual({
      a: { from: 1, to: 2 },
      c: { from: { x: 1 }, to: { x: 2 } },
      e: { from: null, to: true },
    });
  });
});

describe('updateAction', () => {
  it('names a lone enabled flip and calls anything else an update', () => {
    expect(updateAction({ enabled: { from: true, to: false } })).toBe('disable');
    expect(updateAction({ enabled: { from: false, to: true } })).toBe('enable');
    expect(updateAction({ enabled: { from: false, to: true }, rpm: { from: 1, to: 2 } })).toBe('update');
    expect(updateAction({})).toBe('update');
  });
});
