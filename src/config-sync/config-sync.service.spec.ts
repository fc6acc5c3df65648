import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { DataSource, EntitySubscriberInterface, Repository } from 'typeorm';
import type { RedisPubSub } from '../redis/redis-pubsub.service.js';
import type { Setting } from '../settings/setting.entity.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { ConfigChangeSubscriber } from './config-change.subscriber.js';
import { ConfigSync } from './config-sync.service.js';
import type { ConfigVersion } from './config-version.entity.js';

describe(ConfigSync.name, () => {
  let version: number;
  let reloads: number;
  let published: string[];
  let handler: (message: string) => void;
  let subscribers: EntitySubscriberInterface[];
  let sut: ConfigSync;

  // What the subscriber reports after this replica's transaction commits.
  const ownCommit = (v: number) => {
    version = v;
    (subscribers[0] as unknown as { committed: (v?: number) => void }).committed(v);
  };
  const otherCommit = (v: number) => (version = v);

  beforeEach(async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    version = 10;
    reloads = 0;
    published = [];
    subscribers = [];
    const events = new EventEmitter2();
    events.on('config.changed', () => void (reloads += 1));
    sut = new ConfigSync(
      { subscribers, options: { type: 'mysql' } } as unknown as DataSource,
      {
        findOneBy: () => Promise.resolve({ id: 1, version, changedBy: null }),
      } as unknown as Repository<ConfigVersion>,
      { find: () => Promise.resolve([]) } as unknown as Repository<Setting>,
      { reloadStored: () => Promise.resolve() } as unknown as SettingsService,
      {
        enabled: true,
        subscribe: (_: string, h: (message: string) => void) => (handler = h),
        onSubscribed: () => undefined,
        publish: (_: string, message: string) => Promise.resolve(void published.push(message)),
      } as unknown as RedisPubSub,
      events,
    );
    await sut.onModuleInit();
    sut.onApplicationBootstrap();
  });

  afterEach(() => {
    sut.onModuleDestroy();
    jest.restoreAllMocks();
  });

  it('registers its change subscriber with the data source and removes it on shutdown', () => {
    expect(subscribers).toHaveLength(1);
    sut.onModuleDestroy();
    expect(subscribers).toHaveLength(0);
    subscribers.push({} as ConfigChangeSubscriber); // for afterEach
  });

  it('skips versions made by its own changes, however many, and announces each of them', async () => {
    ownCommit(11);
    ownCommit(12);
    await sut.check();
    expect(reloads).toBe(0);
    expect(published.map((m) => JSON.parse(m))).toEqual([{ from: sut.replicaId }, { from: sut.replicaId }]);
  });

  it('reloads when another replica changed the configuration, once per new version', async () => {
    ownCommit(11);
    otherCommit(12);
    await sut.check();
    expect(reloads).toBe(1);
    await sut.check();
    expect(reloads).toBe(1);
  });

  it('reloads on an announcement from another replica and ignores its own', () => {
    const reload = jest.spyOn(sut, 'reload').mockResolvedValue();
    handler(JSON.stringify({ from: sut.replicaId }));
    handler('not json');
    expect(reload).not.toHaveBeenCalled();

    handler(JSON.stringify({ from: 'another-replica' }));
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
