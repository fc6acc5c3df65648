import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { bigintColumn, jsonColumn } from '../common/column-transformers.js';

/** A client key for `/v1/*`. Only its SHA-256 and a display prefix are stored. */
@Entity('proxy_keys')
export class ProxyKey {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'key_hash', type: 'varchar', length: 64, unique: true })
  keyHash: string;

  /** e.g. `sk-sy-AbCd`: enough to recognise a key, nothing to use it. */
  @Column({ type: 'varchar', length: 32 })
  prefix: string;

  @Column({ type: 'integer', nullable: true })
  rpm: number | null;

  @Column({ type: 'integer', nullable: true })
  tpm: number | null;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @Column({ name: 'expires_at', type: 'datetime', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'allowed_models', type: 'text', nullable: true, transformer: jsonColumn<string[]>([]) })
  allowedModels: string[];

  @Column({ name: 'allowed_groups', type: 'text', nullable: true, transformer: jsonColumn<string[]>([]) })
  allowedGroups: string[];

  @Column({ name: 'token_budget', type: 'bigint', nullable: true, transformer: bigintColumn })
  tokenBudget: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;
}
