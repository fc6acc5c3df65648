import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintColumn } from '../common/column-transformers.js';

/** The one row (id 1) that every committed configuration change bumps, in its own transaction. */
@Entity('config_version')
export class ConfigVersion {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'bigint', transformer: bigintColumn })
  version: number;

  /** The replica that made the latest change (for whoever investigates). */
  @Column({ name: 'changed_by', type: 'varchar', length: 128, nullable: true })
  changedBy: string | null;
}
