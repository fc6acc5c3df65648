import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AdminError } from '../common/admin-error.js';
import { AppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/config-error.js';
import { DeclaredConfig, DeclaredEntry, NO_DECLARATIONS } from '../config/declared-config.js';
import { withStartupLock } from '../database/startup-lock.js';
import { GroupDto } from '../providers/dto/group.dto.js';
import { ProxyKeyDto } from '../proxy-keys/dto/proxy-key.dto.js';
import { DeclaredGroupsApplier } from './declared-groups.applier.js';
import { AppliedOutcome } from './declared-outcome.js';
import { DeclaredProxyKeysApplier } from './declared-proxy-keys.applier.js';
import { describeProblem, validateDeclared } from './declared-validation.js';

type Counts = Record<AppliedOutcome, number>;

export interface AppliedDeclarations {
  readonly groups: Counts;
  readonly proxyKeys: Counts;
}

interface Validated<T> {
  readonly entry: DeclaredEntry;
  readonly body: T;
}

/**
 * Applies the groups and proxy keys the configuration file declares, at every start and before the
 * gateway listens: created when absent, updated when they differ, untouched when equal (see
 * docs/configuration.md for the rule when an administrator changed one in between). Replicas
 * starting together take turns (a MySQL named lock), so the file is applied once.
 */
@Injectable()
export class DeclarativeConfigService implements OnApplicationBootstrap {
  private readonly logger = new Logger('DeclarativeConfig');
  /** What the latest start did (for the tests and whoever investigates). */
  lastApplied?: AppliedDeclarations;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly groups: DeclaredGroupsApplier,
    private readonly proxyKeys: DeclaredProxyKeysApplier,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const declared: DeclaredConfig = this.config.declared ?? NO_DECLARATIONS;
    if (declared.groups.length + declared.proxyKeys.length === 0) return;
    declared.warnings.forEach((warning) => this.logger.warn(warning));
    const groups = this.validate(declared.groups, GroupDto);
    const proxyKeys = this.validate(declared.proxyKeys, ProxyKeyDto);
    this.lastApplied = await withStartupLock(this.dataSource, 'config-file', () =>
      this.apply(groups, proxyKeys),
    );
    this.logger.log(
      `Configuration file applied: groups ${describe(this.lastApplied.groups)}; proxy keys ${describe(this.lastApplied.proxyKeys)}`,
    );
  }

  // Every entry is checked before anything is written, and every problem is reported at once.
  private validate<T extends object>(
    entries: readonly DeclaredEntry[],
    dto: new () => T,
  ): Array<Validated<T>> {
    const problems: string[] = [];
    const validated = entries.map((entry) => {
      const { key: _key, ...fields } = entry.body;
      const result = validateDeclared(dto, entry, fields);
      problems.push(...result.problems);
      return { entry, body: result.value };
    });
    if (problems.length > 0) throw new ConfigError(problems.map((problem) => `CONFIG_FILE: ${problem}`));
    return validated;
  }

  private async apply(
    groups: Array<Validated<GroupDto>>,
    proxyKeys: Array<Validated<ProxyKeyDto>>,
  ): Promise<AppliedDeclarations> {
    const applied: AppliedDeclarations = { groups: counts(), proxyKeys: counts() };
    // Groups first: a proxy key's AllowedGroups may name a group the file declares.
    for (const { entry, body } of groups)
      applied.groups[await this.guarded(entry, () => this.groups.apply(entry, body))] += 1;
    for (const { entry, body } of proxyKeys)
      applied.proxyKeys[
        await this.guarded(entry, () => this.proxyKeys.apply(entry, body, entry.body.key as string))
      ] += 1;
    return applied;
  }

  // A rule the admin API enforces (a missing group, a refused base URL) stops start-up, naming the entry.
  private async guarded(entry: DeclaredEntry, work: () => Promise<AppliedOutcome>): Promise<AppliedOutcome> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AdminError)
        throw new ConfigError([`CONFIG_FILE: ${describeProblem(entry, error.message)}`]);
      throw error;
    }
  }
}

function counts(): Counts {
  return { create: 0, update: 0, none: 0 };
}

function describe(counts: Counts): string {
  return `${counts.create} created, ${counts.update} updated, ${counts.none} unchanged`;
}
