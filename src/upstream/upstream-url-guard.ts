import { BlockList, isIP } from 'node:net';

// Which addresses the gateway may call: group base URLs, health probes and alert webhooks.
// `assertAllowedUpstreamUrl` checks a URL's literal host at save time; `refusalFor` checks every
// address a host name resolves to, when the connection is made (see guarded-lookup.ts).

export class UpstreamUrlRefusedError extends Error {
  readonly code = 'ERR_UPSTREAM_ADDRESS_REFUSED';

  /** `reason`: what is refused and why, naming the host, never the whole URL. */
  constructor(readonly reason: string) {
    super(`upstream URL refused: ${reason}`);
    this.name = 'UpstreamUrlRefusedError';
  }
}

export interface UrlGuardOptions {
  /** Also refuse loopback, private and unique-local addresses and `localhost`. */
  readonly denyPrivate: boolean;
}

export type AddressClass = 'metadata' | 'private' | 'public';

// Cloud instance-metadata endpoints hand out credentials, and link-local addresses are where
// they live: refused whatever the setting.
const ALWAYS_REFUSED = new BlockList();
ALWAYS_REFUSED.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local: AWS, GCP, Azure, OCI metadata
ALWAYS_REFUSED.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
ALWAYS_REFUSED.addSubnet('fe80::', 10, 'ipv6'); // IPv6 link-local
ALWAYS_REFUSED.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6

const PRIVATE = new BlockList();
PRIVATE.addSubnet('0.0.0.0', 8, 'ipv4'); // "this network"
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addAddress('::', 'ipv6');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6'); // unique local

const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog']);

/**
 * What an IP address is, looking through the IPv6 forms that carry an IPv4 address (mapped,
 * compatible, NAT64, 6to4): the embedded address counts, so `::ffff:a9fe:a9fe` is 169.254.169.254.
 */
export function classifyAddress(ip: string): AddressClass {
  const family = isIP(ip);
  if (family === 0) throw new TypeError('not an IP address');
  const candidates: Array<[string, 'ipv4' | 'ipv6']> = family === 4 ? [[ip, 'ipv4']] : [[ip, 'ipv6']];
  const embedded = family === 6 ? embeddedIpv4(ip) : undefined;
  if (embedded) candidates.push([embedded, 'ipv4']);
  if (candidates.some(([address, type]) => ALWAYS_REFUSED.check(address, type))) return 'metadata';
  if (candidates.some(([address, type]) => PRIVATE.check(address, type))) return 'private';
  return 'public';
}

/** Why a connection to `ip` (reached as `host`) is refused, or undefined. Never names a URL. */
export function refusalFor(host: string, ip: string, options: UrlGuardOptions): string | undefined {
  const verdict = classifyAddress(ip);
  const shown = host === ip ? ip : `${host} (${ip})`;
  if (verdict === 'metadata') return `${shown} is a cloud metadata or link-local address`;
  if (verdict === 'private' && options.denyPrivate)
    return `${shown} is a loopback or private address (UPSTREAM_DENY_PRIVATE)`;
  return undefined;
}

/**
 * Throws UpstreamUrlRefusedError (naming the host, never the whole URL) unless `url` may be called.
 * A literal address is judged here; a host name is judged again by the addresses it resolves to.
 */
export function assertAllowedUpstreamUrl(url: string, options: UrlGuardOptions): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UpstreamUrlRefusedError('not an absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UpstreamUrlRefusedError(`scheme ${parsed.protocol} is not http or https`);
  }
  // The WHATWG parser already turned decimal, octal and hex IPv4 forms (2852039166,
  // 0251.0376.0251.0376, 0xA9.0xFE.0xA9.0xFE) into dotted quads and compressed IPv6.
  const host = parsed.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (METADATA_NAMES.has(host)) throw new UpstreamUrlRefusedError(`${host} is a cloud metadata address`);
  if (isIP(host) !== 0) {
    const reason = refusalFor(host, host, options);
    if (reason) throw new UpstreamUrlRefusedError(reason);
    return;
  }
  if (options.denyPrivate && (host === 'localhost' || host.endsWith('.localhost')))
    throw new UpstreamUrlRefusedError(`${host} is a loopback address (UPSTREAM_DENY_PRIVATE)`);
}

/** The IPv4 address inside an IPv4-mapped, -compatible, NAT64 or 6to4 IPv6 address, if any. */
function embeddedIpv4(ip: string): string | undefined {
  const groups = ipv6Groups(ip);
  if (!groups) return undefined;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  const quad = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible; :: and ::1 are not IPv4)
  if (zeros(0, 5) && (groups[5] === 0xffff || (groups[5] === 0 && groups[6] !== 0)))
    return quad(groups[6], groups[7]);
  // 64:ff9b::a.b.c.d (NAT64 well-known prefix)
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return quad(groups[6], groups[7]);
  // 2002:AABB:CCDD::/48 (6to4)
  if (groups[0] === 0x2002) return quad(groups[1], groups[2]);
  return undefined;
}

/** Eight 16-bit groups of a valid IPv6 address (a dotted IPv4 tail allowed). */
function ipv6Groups(ip: string): number[] | undefined {
  let text = ip.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const toGroups = (part: string | undefined): number[] =>
    part ? part.split(':').map((group) => parseInt(group, 16)) : [];
  const left = toGroups(head);
  const right = toGroups(tail);
  const groups =
    tail === undefined
      ? left
      : [...left, ...new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
  return groups.length === 8 && groups.every((group) => group >= 0 && group <= 0xffff) ? groups : undefined;
}
