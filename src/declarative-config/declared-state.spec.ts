import {
  differingFields,
  fingerprint,
  groupStateOfBody,
  groupStateOfRow,
  planChange,
  proxyKeyStateOfBody,
  stableJson,
  State,
} from './declared-state.js';

const body = {
  groupName: 'openai-primary',
  providerType: 'openai',
  baseUrl: 'https://api.openai.com/v1/',
  apiKeys: ['sk-b', 'sk-a'],
  models: ['gpt-4o'],
};
// As the service stores that body: defaults filled, slash trimmed, keys opened in another order.
const row = {
  groupName: 'openai-primary',
  providerType: 'openai',
  baseUrl: 'https://api.openai.com/v1',
  models: ['gpt-4o'],
  modelMap: {},
  balancePolicy: 'round_robin',
  retryCount: 3,
  timeout: 60,
  priority: 1,
  weight: 1,
  enabled: true,
  parameters: {},
  probe: { kind: 'models' },
  apiVersion: null,
};
const KEY = Buffer.alloc(32, 7);
const hashOf = (state: State) => fingerprint(KEY, state);

describe(groupStateOfBody.name, () => {
  it('equals the state of the row the service stores for that body', () => {
    expect(stableJson(groupStateOfBody(body))).toBe(stableJson(groupStateOfRow(row, {}, ['sk-a', 'sk-b'])));
  });

  it('takes the keyless slot for no keys, and an unreadable key for a changed one', () => {
    expect(groupStateOfBody({ ...body, apiKeys: [] }).apiKeys).toEqual([]);
    expect(groupStateOfRow(row, {}, ['']).apiKeys).toEqual([]);
    expect(differingFields(groupStateOfBody(body), groupStateOfRow(row, {}, ['sk-a', undefined]))).toEqual([
      'ApiKeys',
    ]);
  });

  it('names the differing fields as the file does', () => {
    const current = groupStateOfRow({ ...row, priority: 5, enabled: false }, { 'X-Team': 'a' }, [
      'sk-a',
      'sk-b',
    ]);
    expect(differingFields(groupStateOfBody(body), current)).toEqual(['Priority', 'Enabled', 'Headers']);
  });
});

describe(proxyKeyStateOfBody.name, () => {
  it('fills the defaults, keeps whole seconds of the expiry, and names a new key "Key"', () => {
    const wanted = proxyKeyStateOfBody({ name: 'app', expiresAt: '2030-01-01T00:00:00.500Z' }, 'hash-1');
    const stored = proxyKeyStateOfBody(
      {
        name: 'app',
        description: null,
        rpm: null,
        tpm: null,
        enabled: true,
        expiresAt: new Date('2030-01-01T00:00:00Z'),
        allowedModels: [],
        allowedGroups: [],
        tokenBudget: null,
      },
      'hash-2',
    );
    expect(differingFields(wanted, stored)).toEqual(['Key']);
  });
});

describe(planChange.name, () => {
  const wanted = groupStateOfBody(body);
  const applied = groupStateOfBody({ ...body, priority: 2 });
  const edited = groupStateOfBody({ ...body, priority: 7 });

  it('creates what is absent, noting a re-creation', () => {
    expect(planChange({ wanted, current: undefined, appliedHash: undefined, hashOf })).toEqual({
      action: 'create',
      recreated: false,
    });
    expect(planChange({ wanted, current: undefined, appliedHash: hashOf(applied), hashOf })).toEqual({
      action: 'create',
      recreated: true,
    });
  });

  it('leaves what is equal alone, remembering a missing or stale hash only', () => {
    expect(planChange({ wanted, current: wanted, appliedHash: hashOf(wanted), hashOf })).toEqual({
      action: 'none',
      remember: false,
    });
    expect(planChange({ wanted, current: wanted, appliedHash: undefined, hashOf })).toEqual({
      action: 'none',
      remember: true,
    });
  });

  it('tells a change of the file from an administrator change and from a take-over', () => {
    expect(planChange({ wanted, current: applied, appliedHash: hashOf(applied), hashOf })).toEqual({
      action: 'update',
      cause: 'file',
      fields: ['Priority'],
    });
    expect(planChange({ wanted, current: edited, appliedHash: hashOf(applied), hashOf })).toEqual({
      action: 'update',
      cause: 'conflict',
      fields: ['Priority'],
    });
    expect(planChange({ wanted, current: edited, appliedHash: undefined, hashOf })).toEqual({
      action: 'update',
      cause: 'adopt',
      fields: ['Priority'],
    });
  });
});

describe(fingerprint.name, () => {
  it('depends on the state and on the encryption key, and is not a plain hash of the state', () => {
    const state = groupStateOfBody(body);
    expect(fingerprint(KEY, state)).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint(KEY, state)).toBe(
      fingerprint(KEY, groupStateOfBody({ ...body, apiKeys: ['sk-a', 'sk-b'] })),
    );
    expect(fingerprint(KEY, state)).not.toBe(fingerprint(Buffer.alloc(32, 8), state));
    expect(fingerprint(KEY, state)).not.toBe(
      fingerprint(KEY, groupStateOfBody({ ...body, apiKeys: ['sk-c'] })),
    );
  });
});

describe(stableJson.name, () => {
  it('ignores key order and undefined members, not array order', () => {
    expect(stableJson({ b: 1, a: { d: undefined, c: [2, 1] } })).toBe('{"a":{"c":[2,1]},"b":1}');
  });
});
