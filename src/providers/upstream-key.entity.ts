import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import type { ProviderGroup } from './provider-group.entity.js';

/** One upstream API key of a group, encrypted at rest (AES-256-GCM); only its masked hint is clear. */
@Entity('provider_keys')
export class UpstreamKey {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IDX_provider_keys_group_id')
  @Column({ name: 'group_id', type: 'integer' })
  groupId: number;

  @ManyToOne('ProviderGroup', (group: ProviderGroup) => group.keys, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'FK_provider_keys_group' })
  group?: Relation<ProviderGroup>;

  @Column({ type: 'text' })
  ciphertext: string;

  @Column({ type: 'varchar', length: 32 })
  iv: string;

  @Column({ name: 'auth_tag', type: 'varchar', length: 32 })
  authTag: string;

  /** Masked form, e.g. `sk-…abcd`. */
  @Column({ type: 'varchar', length: 16 })
  hint: string;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @Column({ type: 'double' })
  weight: number;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;
}
