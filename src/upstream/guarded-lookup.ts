import dns, { type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { refusalFor, UpstreamUrlRefusedError, UrlGuardOptions } from './upstream-url-guard.js';

/** `dns.lookup`'s shape, as `net.connect` calls it (replaceable in tests). */
export type Lookup = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemLookup: Lookup = (hostname, options, callback) => dns.lookup(hostname, options, callback);

/**
 * A `lookup` for `net.connect` that resolves a host name and refuses the connection when any
 * address it resolves to is refused by the URL guard: a name pointing at a metadata address
 * (always), or at a loopback or private one (with `denyPrivate`). Checked when the socket is
 * opened, so the address judged is the address connected to (no DNS rebinding in between).
 * Literal IPs never reach a lookup: `assertAllowedUpstreamUrl` judged them already.
 */
export function guardedLookup(options: UrlGuardOptions, lookup: Lookup = systemLookup): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    lookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const reason = addresses
        .map(({ address }) => refusalFor(hostname, address, options))
        .find((found) => found !== undefined);
      if (reason !== undefined) return callback(new UpstreamUrlRefusedError(reason), '', 0);
      if (lookupOptions.all) return (callback as unknown as AllCallback)(null, addresses);
      const [first] = addresses;
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

type AllCallback = (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void;

/** DI token: a `Lookup` replacing the system resolver (tests resolve names to chosen addresses). */
export const UPSTREAM_LOOKUP = Symbol('UPSTREAM_LOOKUP');
