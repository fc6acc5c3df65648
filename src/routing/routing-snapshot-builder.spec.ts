import { buildRoutingSnapshot } from './routing-snapshot-builder.js';
import type { RoutableGroup, RoutableProxyKey } from './routing-snapshot.js';

function group(id: number, overrides: Partial<RoutableGroup> = {}): RoutableGroup {
  return {
    id,
    name: `group-${id}`,
    providerType: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    models: [],
    modelMap: {},
    balancePolicy: 'round_robin',
    retryCount: 3,
    timeoutSeconds: 60,
    priority: 1,
    weight: 1,
    parameters: {},
    headers: {},
    probe: { kind: 'models' },
    keys: [{ id: id * 10, groupId: id, masked: 'sk-…abcd', secret: `sk-secret-${id}`, weight: 1 }],
    ...overrides,
  };
}

const proxyKey: RoutableProxyKey = {
  id: 1,
  name: 'app',
  keyHash: 'a'.repeat(64),
  enabled: false,
  allowedModels: [],
  allowedGroups: [],
};

describe(buildRoutingSnapshot.name, () => {
  const exact = group(1, { models: ['gpt-4', 'gpt-4o'] });
  const glob = group(2, { models: ['gpt-4*', 'claude-?-opus'], priority: 2 });
  const alias = group(3, { models: ['llama-3-70b'], modelMap: { 'fast-chat': 'llama-3-8b' }, priority: 0 });
  const keyless = group(4, { models: ['*'], keys: [] });
  const sameTier = group(5, { models: ['gpt-4'], priority: 1 });
  const sut = buildRoutingSnapshot({
    version: 7,
    groups: [glob, sameTier, keyless, exact, alias],
    proxyKeys: [proxyKey],
  });

  it('keeps groups with keys, ordered by priority then id', () => {
    expect(sut.groups.map((g) => g.id)).toEqual([3, 1, 5, 2]);
    expect(sut.version).toBe(7);
    expect([...sut.groupsByName.keys()]).toEqual(['group-3', 'group-1', 'group-5', 'group-2']);
  });

  it('matches exact names', () => {
    expect(sut.groupsForModel('gpt-4o').map((g) => g.id)).toEqual([1, 2]);
    expect(sut.groupsForModel('llama-3-70b').map((g) => g.id)).toEqual([3]);
  });

  it('matches globs', () => {
    expect(sut.groupsForModel('gpt-4-turbo').map((g) => g.id)).toEqual([2]);
    expect(sut.groupsForModel('claude-3-opus').map((g) => g.id)).toEqual([2]);
    expect(sut.groupsForModel('claude-3.5-opus')).toEqual([]);
  });

  it('matches modelMap aliases and maps them upstream', () => {
    expect(sut.groupsForModel('fast-chat').map((g) => g.id)).toEqual([3]);
    expect(sut.upstreamModel(alias, 'fast-chat')).toBe('llama-3-8b');
    expect(sut.upstreamModel(alias, 'llama-3-70b')).toBe('llama-3-70b');
  });

  it('never reads inherited properties as a mapping', () => {
    expect(sut.groupsForModel('constructor')).toEqual([]);
    expect(sut.upstreamModel(alias, 'constructor')).toBe('constructor');
    expect(sut.upstreamModel(alias, '__proto__')).toBe('__proto__');
  });

  it('answers unknown models with nothing and leaves keyless groups out', () => {
    expect(sut.groupsForModel('unknown-model')).toEqual([]);
    expect(sut.groupsByName.has('group-4')).toBe(false);
  });

  it('memoises per model', () => {
    expect(sut.groupsForModel('gpt-4')).toBe(sut.groupsForModel('gpt-4'));
  });

  it('indexes proxy keys by hash, disabled ones included', () => {
    expect(sut.proxyKeysByHash.get('a'.repeat(64))).toEqual(proxyKey);
  });
});
