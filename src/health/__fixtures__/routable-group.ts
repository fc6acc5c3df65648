import type { RoutableGroup } from '../../routing/routing-snapshot.js';

/** An enabled OpenAI group with the given key ids, for the health-check tests. */
export function routableGroup(id: number, keyIds: number[]): RoutableGroup {
  return {
    id,
    name: `g${id}`,
    providerType: 'openai',
    baseUrl: 'http://127.0.0.1:9/v1',
    models: ['m'],
    modelMap: {},
    balancePolicy: 'round_robin',
    retryCount: 1,
    timeoutSeconds: 5,
    priority: 1,
    weight: 1,
    parameters: {},
    headers: {},
    probe: { kind: 'models' },
    keys: keyIds.map((keyId) => ({
      id: keyId,
      groupId: id,
      masked: `sk-…${keyId}`,
      secret: `sk-secret-${keyId}`,
      weight: 1,
    })),
  };
}
