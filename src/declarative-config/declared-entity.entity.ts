import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type DeclaredKind = 'group' | 'proxy_key';

/** A group or proxy key the configuration file declares, and a keyed hash of its state as last applied. */
@Entity('declared_entities')
@Unique('UQ_declared_entities_kind_name', ['kind', 'name'])
export class DeclaredEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 16 })
  kind: DeclaredKind;

  /** The name the file declares it by (a group name in lower case: group names ignore case). */
  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ name: 'entity_id', type: 'integer' })
  entityId: number;

  /** HMAC-SHA256 of the entity's state right after the file applied it (see declared-state.ts). */
  @Column({ name: 'applied_hash', type: 'varchar', length: 64 })
  appliedHash: string;

  @Column({ name: 'applied_at', type: 'datetime' })
  appliedAt: Date;
}
