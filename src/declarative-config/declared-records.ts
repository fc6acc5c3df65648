import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DeclaredEntity, DeclaredKind } from './declared-entity.entity.js';

/** The hash of each declared entity's state as the configuration file last applied it. */
@Injectable()
export class DeclaredRecords {
  constructor(@InjectRepository(DeclaredEntity) private readonly rows: Repository<DeclaredEntity>) {}

  find(kind: DeclaredKind, name: string): Promise<DeclaredEntity | null> {
    return this.rows.findOneBy({ kind, name: recordName(kind, name) });
  }

  /** Not a configuration table: remembering writes no audit row and bumps no config version. */
  async remember(kind: DeclaredKind, name: string, entityId: number, appliedHash: string): Promise<void> {
    const existing = await this.find(kind, name);
    await this.rows.save({
      ...existing,
      kind,
      name: recordName(kind, name),
      entityId,
      appliedHash,
      appliedAt: new Date(),
    });
  }
}

// Group names are unique regardless of case; proxy key names as written.
function recordName(kind: DeclaredKind, name: string): string {
  return kind === 'group' ? name.toLowerCase() : name;
}
