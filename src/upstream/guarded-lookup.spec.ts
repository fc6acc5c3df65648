import type { LookupAddress } from 'node:dns';
import { guardedLookup, type Lookup } from './guarded-lookup.js';
import { UpstreamUrlRefusedError } from './upstream-url-guard.js';

// A resolver that answers from a table, like DNS would.
const resolver =
  (table: Record<string, string[]>): Lookup =>
  (hostname, _options, callback) => {
    const addresses = table[hostname];
    if (!addresses) return callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []);
    callback(
      null,
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };

const table = resolver({
  'api.example.test': ['203.0.113.10'],
  'internal.example.test': ['10.0.0.7'],
  'mixed.example.test': ['203.0.113.10', '192.168.1.1'],
  'imds.example.test': ['169.254.169.254'],
  'imds6.example.test': ['::ffff:a9fe:a9fe'],
});

function resolve(
  hostname: string,
  denyPrivate: boolean,
  all = false,
): Promise<{ address: string | LookupAddress[]; family?: number }> {
  const lookup = guardedLookup({ denyPrivate }, table);
  return new Promise((resolvePromise, reject) =>
    lookup(hostname, { all }, (error, address, family) =>
      error ? reject(error) : resolvePromise({ address, family }),
    ),
  );
}

describe(guardedLookup.name, () => {
  it('passes a public name through, in both callback shapes', async () => {
    await expect(resolve('api.example.test', true)).resolves.toEqual({ address: '203.0.113.10', family: 4 });
    await expect(resolve('api.example.test', true, true)).resolves.toMatchObject({
      address: [{ address: '203.0.113.10', family: 4 }],
    });
  });

  it('refuses a name pointing at a private address only with denyPrivate, naming name and address', async () => {
    await expect(resolve('internal.example.test', false)).resolves.toMatchObject({ address: '10.0.0.7' });
    await expect(resolve('internal.example.test', true)).rejects.toThrow(UpstreamUrlRefusedError);
    await expect(resolve('internal.example.test', true)).rejects.toThrow(
      'internal.example.test (10.0.0.7) is a loopback or private address',
    );
  });

  it('refuses a name when any one of its addresses is refused', async () => {
    await expect(resolve('mixed.example.test', true)).rejects.toThrow(/192\.168\.1\.1/);
  });

  it('refuses a name pointing at a metadata address whatever the setting', async () => {
    await expect(resolve('imds.example.test', false)).rejects.toThrow(/cloud metadata/);
    await expect(resolve('imds6.example.test', false)).rejects.toThrow(/cloud metadata/);
  });

  it('passes resolver errors on unchanged', async () => {
    await expect(resolve('missing.example.test', true)).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});
