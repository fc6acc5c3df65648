import { BlockList, isIP } from 'node:net';

/**
 * Which hops' `X-Forwarded-For` is believed: `false` (none: the socket's address is the client), a
 * hop count, or a list of addresses, CIDRs and Express's names for ranges. Passed to Express's
 * `trust proxy` setting as is, so the admin surface and `/v1` follow one rule.
 */
export type TrustProxy = false | number | readonly string[];

/** Whether the hop at `address`, `hop` steps from this server, is a proxy whose word is believed. */
export type TrustFn = (address: string, hop: number) => boolean;

// Express's names for ranges (proxy-addr's), so TRUST_PROXY reads the same as Express's setting.
const NAMED_RANGES: Record<string, Array<[string, number, 'ipv4' | 'ipv6']>> = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  linklocal: [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ],
  uniquelocal: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['fc00::', 7, 'ipv6'],
  ],
};

/** The one trust rule of TRUST_PROXY, used by Express (`trust proxy`) and by the `/v1` entry. */
export function compileTrust(trust: TrustProxy): TrustFn {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  const trusted = new BlockList();
  for (const entry of trust) {
    for (const [network, prefix, family] of NAMED_RANGES[entry] ?? [parseEntry(entry)])
      trusted.addSubnet(network, prefix, family);
  }
  return (address) => {
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && trusted.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * The client's address: walk `X-Forwarded-For` from the nearest hop outwards while the hop is
 * trusted; the first untrusted address (or the farthest one) is the client.
 */
export function clientIpOf(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trust: TrustFn,
): string | undefined {
  if (socketAddress === undefined) return undefined;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const forwarded = header
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean)
    .reverse();
  const hops = [socketAddress, ...forwarded];
  for (let hop = 0; hop < hops.length - 1; hop += 1) if (!trust(hops[hop], hop)) return hops[hop];
  return hops[hops.length - 1];
}

function parseEntry(entry: string): [string, number, 'ipv4' | 'ipv6'] {
  const [address, prefix] = entry.split('/');
  const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  return [address, prefix === undefined ? (family === 'ipv4' ? 32 : 128) : Number(prefix), family];
}

function unmapped(address: string): string {
  return address.toLowerCase().startsWith('::ffff:') && isIP(address.slice(7)) === 4
    ? address.slice(7)
    : address;
}
