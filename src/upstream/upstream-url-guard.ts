// Which upstream URLs the gateway may call (UPSTREAM_DENY_PRIVATE). Literal addresses only: a
// hostname is not resolved, so this stops configuration mistakes and the obvious SSRF targets.

export class UpstreamUrlRefusedError extends Error {
  constructor(reason: string) {
    super(`upstream URL refused: ${reason}`);
    this.name = 'UpstreamUrlRefusedError';
  }
}

export interface UrlGuardOptions {
  /** Also refuse loopback, private, link-local and unique-local addresses and `localhost`. */
  readonly denyPrivate: boolean;
}

// Cloud instance-metadata endpoints hand out credentials: refused whatever the setting.
const METADATA_HOSTS = new Set([
  '169.254.169.254',
  'fd00:ec2::254',
  'metadata.google.internal',
  'metadata.goog',
]);

/** Throws UpstreamUrlRefusedError (naming the host, never the whole URL) unless `url` may be called. */
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
  // WHATWG URL already normalised IPv4 forms (2852039166, 0xA9.0xFE.0xA9.0xFE) to dotted quads.
  const host = parsed.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  const ipv6 = host.includes(':') ? parseIpv6(host) : undefined;
  const ipv4 = ipv6 ? mappedIpv4(ipv6) : parseIpv4(host);
  if (
    METADATA_HOSTS.has(host) ||
    (ipv4 && METADATA_HOSTS.has(ipv4.join('.'))) ||
    (ipv6 && isEc2Metadata(ipv6))
  ) {
    throw new UpstreamUrlRefusedError(`${host} is a cloud metadata address`);
  }
  if (!options.denyPrivate) return;
  const isPrivate = ipv4
    ? isPrivateIpv4(ipv4)
    : ipv6
      ? isPrivateIpv6(ipv6)
      : host === 'localhost' || host.endsWith('.localhost');
  if (isPrivate)
    throw new UpstreamUrlRefusedError(`${host} is a loopback or private address (UPSTREAM_DENY_PRIVATE)`);
}

function parseIpv4(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined;
  return parts.map(Number);
}

function isPrivateIpv4([a, b]: number[]): boolean {
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

/** Eight 16-bit groups, or undefined. The URL parser has validated and compressed the text. */
function parseIpv6(host: string): number[] | undefined {
  const [head, tail] = host.split('::');
  const toGroups = (text: string | undefined): number[] =>
    text ? text.split(':').map((group) => parseInt(group, 16)) : [];
  const left = toGroups(head);
  const right = toGroups(tail);
  const groups =
    tail === undefined
      ? left
      : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((group) => group >= 0 && group <= 0xffff) ? groups : undefined;
}

function mappedIpv4(groups: number[]): number[] | undefined {
  // ::ffff:a.b.c.d (IPv4-mapped)
  if (groups.slice(0, 5).some((group) => group !== 0) || groups[5] !== 0xffff) return undefined;
  return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff];
}

function isEc2Metadata(groups: number[]): boolean {
  return groups.join(':') === [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254].join(':');
}

function isPrivateIpv6(groups: number[]): boolean {
  const allZeroBefore7 = groups.slice(0, 7).every((group) => group === 0);
  return (
    (allZeroBefore7 && (groups[7] === 0 || groups[7] === 1)) || // :: and ::1
    (groups[0] & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (groups[0] & 0xffc0) === 0xfe80 // link-local fe80::/10
  );
}
