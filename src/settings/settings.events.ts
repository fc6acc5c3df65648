/** Emitted (and awaited) after `PUT /admin/settings` commits, naming the sections that changed. */
export const SETTINGS_CHANGED = 'settings.changed';

export interface SettingsChangedEvent {
  readonly sections: readonly string[];
}
