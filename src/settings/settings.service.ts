import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { isDeepStrictEqual } from 'node:util';
import { diffChanges } from '../audit/audit-changes.js';
import { AuditService } from '../audit/audit.service.js';
import { Setting } from './setting.entity.js';
import { isPlainObject, mergeSection, SettingsSection } from './settings-section.js';
import { SETTINGS_CHANGED, SettingsChangedEvent } from './settings.events.js';
import { AdminError } from '../common/admin-error.js';
import { describeError } from '../common/describe-error.js';

/** The stored values by key, read once before any module initialises (see SettingsModule). */
export const STORED_SETTINGS = Symbol('STORED_SETTINGS');

const SECTION_NAME = /^[A-Za-z][\w-]{0,63}$/;

interface Registered {
  readonly definition: SettingsSection<unknown>;
  value: unknown;
}

/**
 * Runtime settings, one section per owning module. Sections register at any time (usually in
 * their module's `onModuleInit`); a stored value applies the moment its section registers, so
 * start-up order never matters. Reads are synchronous, from memory.
 */
@Injectable()
export class SettingsService {
  private readonly logger = new Logger(SettingsService.name);
  private readonly sections = new Map<string, Registered>();

  constructor(
    @Inject(STORED_SETTINGS) private stored: ReadonlyMap<string, unknown>,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
  ) {}

  registerSection<T>(name: string, definition: SettingsSection<T>): void {
    if (!SECTION_NAME.test(name)) throw new Error(`Invalid settings section name "${name}"`);
    if (this.sections.has(name)) throw new Error(`Settings section "${name}" is registered twice`);
    this.sections.set(name, {
      definition: definition as SettingsSection<unknown>,
      value: this.initialValue(name, definition),
    });
  }

  get<T>(name: string): T {
    const section = this.sections.get(name);
    if (!section) throw new Error(`Settings section "${name}" is not registered`);
    return section.value as T;
  }

  all(): Record<string, unknown> {
    return Object.fromEntries([...this.sections].map(([name, section]) => [name, section.value]));
  }

  /** Adopts stored values just read from the database (another replica changed them). */
  async reloadStored(stored: ReadonlyMap<string, unknown>): Promise<void> {
    this.stored = stored;
    const changed: string[] = [];
    for (const [name, section] of this.sections) {
      const value = this.initialValue(name, section.definition);
      if (isDeepStrictEqual(value, section.value)) continue;
      section.value = value;
      changed.push(name);
    }
    if (changed.length > 0)
      await this.events.emitAsync(SETTINGS_CHANGED, { sections: changed } satisfies SettingsChangedEvent);
  }

  /** Validates every named section first, then stores and audits them in one transaction. */
  async update(patch: Record<string, unknown>, actor: string): Promise<Record<string, unknown>> {
    if (!isPlainObject(patch))
      throw new AdminError('invalid', 'The settings body must be an object of sections');
    const changed = await this.audit.transaction(async (manager) => {
      const next = Object.entries(patch).map(([name, value]) => ({
        name,
        section: this.section(name),
        value: this.validate(name, value),
      }));
      const names: string[] = [];
      for (const { name, section, value } of next) {
        const changes =
          isPlainObject(section.value) && isPlainObject(value)
            ? diffChanges(section.value, value)
            : diffChanges({ value: section.value }, { value });
        if (Object.keys(changes).length === 0) continue;
        const repo = manager.getRepository(Setting);
        const row = (await repo.findOneBy({ key: name })) ?? repo.create({ key: name });
        await repo.save({ ...row, value: JSON.stringify(value) });
        await this.audit.record(manager, {
          actor,
          action: 'update',
          entity: 'setting',
          entityId: name,
          changes,
          secretFields: section.definition.secretFields,
        });
        names.push(name);
      }
      // Memory changes only once every row is written; the commit follows at once.
      for (const { name, section, value } of next) if (names.includes(name)) section.value = value;
      return names;
    });
    if (changed.length > 0)
      await this.events.emitAsync(SETTINGS_CHANGED, { sections: changed } satisfies SettingsChangedEvent);
    return this.all();
  }

  private section(name: string): Registered {
    const section = this.sections.get(name);
    if (!section)
      throw new AdminError(
        'invalid',
        `Unknown settings section "${name}"; known sections: ${[...this.sections.keys()].join(', ') || 'none'}`,
      );
    return section;
  }

  private validate(name: string, patch: unknown): unknown {
    const section = this.section(name);
    try {
      return section.definition.validate(mergeSection(section.value, patch));
    } catch (error) {
      if (error instanceof AdminError) throw error;
      throw new AdminError('invalid', `Invalid settings section "${name}": ${describeError(error)}`);
    }
  }

  private initialValue<T>(name: string, definition: SettingsSection<T>): T {
    if (!this.stored.has(name)) return definition.defaults;
    try {
      return definition.validate(mergeSection(definition.defaults, this.stored.get(name)));
    } catch (error) {
      this.logger.warn({
        msg: 'Stored settings section is invalid; using the defaults',
        section: name,
        error: describeError(error),
      });
      return definition.defaults;
    }
  }
}
