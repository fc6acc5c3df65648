/**
 * Emitted with `emitAsync` (and awaited) after an admin change to groups, upstream keys or proxy
 * keys commits; the RoutingTable rebuilds before the admin response is sent.
 */
export const CONFIG_CHANGED = 'config.changed';

export interface ConfigChangedEvent {
  /** A change to an upstream key is reported as a change of its group. */
  readonly entity: 'group' | 'proxy_key';
  readonly id: number;
}
