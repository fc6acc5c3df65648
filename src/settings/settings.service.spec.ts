import { Logger } from '@nestjs/common';
import { AdminError } from '../common/admin-error.js';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { AuditService } from '../audit/audit.service.js';
import { SettingsService } from './settings.service.js';

interface Limits {
  enabled: boolean;
  max: number;
}

const section = {
  defaults: { enabled: true, max: 10 } as Limits,
  validate(value: unknown): Limits {
    const { enabled, max } = value as Limits;
    if (typeof enabled !== 'boolean' || !Number.isInteger(max) || max < 1)
      throw new AdminError('invalid', 'limits.max must be a positive integer');
    return { enabled, max };
  },
};

describe(SettingsService.name, () => {
  const audit = {} as AuditService;
  beforeAll(() => Logger.overrideLogger(false));

  it('serves the defaults of a section with nothing stored', () => {
    const sut = new SettingsService(new Map(), audit, new EventEmitter2());
    sut.registerSection('limits', section);
    expect(sut.get<Limits>('limits')).toEqual({ enabled: true, max: 10 });
    expect(sut.all()).toEqual({ limits: { enabled: true, max: 10 } });
  });

  it('applies a stored value, merged over the defaults, whenever the section registers', () => {
    const sut = new SettingsService(new Map([['limits', { max: 99 }]]), audit, new EventEmitter2());
    sut.registerSection('limits', section);
    expect(sut.get<Limits>('limits')).toEqual({ enabled: true, max: 99 });
  });

  it('falls back to the defaults when the stored value no longer validates', () => {
    const sut = new SettingsService(new Map([['limits', { max: -1 }]]), audit, new EventEmitter2());
    sut.registerSection('limits', section);
    expect(sut.get<Limits>('limits')).toEqual({ enabled: true, max: 10 });
  });

  it('refuses a section registered twice or read before registering', () => {
    const sut = new SettingsService(new Map(), audit, new EventEmitter2());
    sut.registerSection('limits', section);
    expect(() => sut.registerSection('limits', section)).toThrow('twice');
    expect(() => sut.get('other')).toThrow('not registered');
  });

  it('leaves stored records that are not sections (such as the encryption verifier) out of all()', () => {
    const sut = new SettingsService(
      new Map([['encryption.verifier', { iv: 'x' }]]),
      audit,
      new EventEmitter2(),
    );
    expect(sut.all()).toEqual({});
  });

  it('adopts values stored by another replica, announcing only the sections that changed', async () => {
    const events = new EventEmitter2();
    const announced: unknown[] = [];
    events.on('settings.changed', (event: unknown) => void announced.push(event));
    const sut = new SettingsService(new Map([['limits', { max: 5 }]]), audit, events);
    sut.registerSection('limits', section);
    sut.registerSection('other', section);

    await sut.reloadStored(new Map([['limits', { max: 7 }]]));
    expect(sut.get<Limits>('limits')).toEqual({ enabled: true, max: 7 });
    expect(announced).toEqual([{ sections: ['limits'] }]);

    await sut.reloadStored(new Map([['limits', { max: 7 }]]));
    expect(announced).toHaveLength(1); // nothing changed, nothing announced
  });
});
