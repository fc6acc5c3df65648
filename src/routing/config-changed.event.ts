/**
 * Emitted with `emitAsync` (and awaited) after an admin change to groups, upstream keys or proxy
 * keys commits; the RoutingTable rebuilds before the admin response is sent.
 */
export const CONFIG_CHANGED = 'config.changed';

export interface ConfigChangedEvent {
  /**
   * A change to an upstream key is reported as a change of its group. `remote`: another replica
   * changed the configuration (groups, keys, proxy keys or settings; id 0), and this one reloads.
   */
  readonly entity: 'group' | 'proxy_key' | 'remote';
  readonly id: number;
}
