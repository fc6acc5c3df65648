import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { jsonColumn } from '../common/column-transformers.js';

/** Who changed what and when; `changes` never holds a secret (see `redactChanges`). */
@Entity('audit_logs')
@Index('IDX_audit_logs_entity_at', ['entity', 'at'])
export class AuditLog {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IDX_audit_logs_at')
  @Column({ type: 'datetime' })
  at: Date;

  @Column({ type: 'varchar', length: 64 })
  actor: string;

  @Column({ type: 'varchar', length: 32 })
  action: string;

  @Column({ type: 'varchar', length: 32 })
  entity: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 64, nullable: true })
  entityId: string | null;

  @Column({ type: 'text', nullable: true, transformer: jsonColumn<Record<string, unknown>>({}) })
  changes: Record<string, unknown>;
}
