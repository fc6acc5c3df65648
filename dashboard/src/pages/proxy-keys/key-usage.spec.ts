import type { ProxyKeyView } from '../../api/types.js';
import { withUsage } from './key-usage.js';

const key = (id: number): ProxyKeyView => ({
  id,
  name: `key-${id}`,
  description: null,
  keyPrefix: 'sk-sy-abcd…',
  rpm: null,
  tpm: null,
  enabled: true,
  expiresAt: null,
  expired: false,
  allowedModels: [],
  allowedGroups: [],
  tokenBudget: 1000,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('proxy key usage', () => {
  it('adds the tokens spent and the last use; a key without traffic has spent nothing', () => {
    const rows = withUsage(
      [key(1), key(2)],
      [{ proxyKeyId: 1, tokensUsed: 420, lastUsedAt: '2026-01-02T10:00:00.000Z' }],
    );
    expect(rows.map(({ id, tokensUsed, lastUsedAt }) => ({ id, tokensUsed, lastUsedAt }))).toEqual([
      { id: 1, tokensUsed: 420, lastUsedAt: '2026-01-02T10:00:00.000Z' },
      { id: 2, tokensUsed: 0, lastUsedAt: null },
    ]);
  });

  it('leaves the keys unknown rather than at zero when the usage could not be read', () => {
    expect(withUsage([key(1)], undefined)[0]).not.toHaveProperty('tokensUsed');
  });
});
