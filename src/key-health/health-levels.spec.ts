import type { KeyCondition } from './key-health.js';
import { countHealth, groupLevel, keyLevel } from './health-levels.js';

const group = (id: number, keyIds: number[]) => ({ id, keys: keyIds.map((keyId) => ({ id: keyId })) });

describe(countHealth.name, () => {
  it('counts keys by condition and groups by their best key', () => {
    const conditions = new Map<number, KeyCondition>([
      [2, 'open'],
      [3, 'half_open'],
      [4, 'invalid'],
      [5, 'unhealthy'],
    ]);
    const sut = countHealth([group(1, [1, 2]), group(2, [3, 4]), group(3, [5])], (id) => conditions.get(id));
    expect(sut).toEqual({
      groups: { total: 3, healthy: 1, recovering: 1, unhealthy: 1 },
      keys: { total: 5, healthy: 1, recovering: 1, unhealthy: 3 },
    });
  });

  it('maps conditions to levels', () => {
    expect(
      [undefined, 'closed', 'half_open', 'open', 'invalid', 'unhealthy'].map((c) =>
        keyLevel(c as KeyCondition | undefined),
      ),
    ).toEqual(['healthy', 'healthy', 'recovering', 'unhealthy', 'unhealthy', 'unhealthy']);
    expect(groupLevel([])).toBe('unhealthy');
  });
});
