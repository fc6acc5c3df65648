import {
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { jsonColumn } from '../common/column-transformers.js';
import type { BalancePolicy } from '../config/app-config.js';
import type { ProbeSettings, ProviderType } from '../upstream/provider-type.js';
import type { UpstreamKey } from './upstream-key.entity.js';

/** A provider group: one upstream service, its models and its pool of upstream keys. */
@Entity('provider_groups')
export class ProviderGroup {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'group_name', type: 'varchar', length: 64, unique: true })
  groupName: string;

  @Column({ name: 'provider_type', type: 'varchar', length: 32 })
  providerType: ProviderType;

  /** Null: the provider type's default. */
  @Column({ name: 'base_url', type: 'varchar', length: 2048, nullable: true })
  baseUrl: string | null;

  @Column({ type: 'text', transformer: jsonColumn<string[]>([]) })
  models: string[];

  @Column({
    name: 'model_map',
    type: 'text',
    nullable: true,
    transformer: jsonColumn<Record<string, string>>({}),
  })
  modelMap: Record<string, string>;

  @Column({ name: 'balance_policy', type: 'varchar', length: 32 })
  balancePolicy: BalancePolicy;

  @Column({ name: 'retry_count', type: 'integer' })
  retryCount: number;

  @Column({ name: 'timeout_seconds', type: 'integer' })
  timeout: number;

  @Column({ type: 'integer' })
  priority: number;

  @Column({ type: 'double' })
  weight: number;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @Column({ type: 'text', nullable: true, transformer: jsonColumn<Record<string, unknown>>({}) })
  parameters: Record<string, unknown>;

  /** Extra upstream headers, sealed like the keys since they may carry credentials; null: none. */
  @Column({ name: 'sealed_headers', type: 'text', nullable: true })
  sealedHeaders: string | null;

  @Column({ type: 'text', nullable: true, transformer: jsonColumn<ProbeSettings>({ kind: 'models' }) })
  probe: ProbeSettings;

  /** Azure's `api-version`; null: the default. */
  @Column({ name: 'api_version', type: 'varchar', length: 32, nullable: true })
  apiVersion: string | null;

  // By entity name: the two entity modules import each other only as types.
  @OneToMany('UpstreamKey', (key: UpstreamKey) => key.group)
  keys: Relation<UpstreamKey[]>;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;
}
