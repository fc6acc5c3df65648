import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RedisConnection } from '../redis/redis-connection.js';
import { LeaderElection } from './leader-election.js';
import { LeaderLease, SoleReplicaLease } from './leader-lease.js';
import { MysqlLeaderLease } from './mysql-leader-lease.js';
import { RedisLeaderLease } from './redis-leader-lease.js';
import { newReplicaId } from '../common/replica-id.js';

/**
 * Elects one replica per named job on MySQL: through Redis when `REDIS_URL` is set, else through
 * MySQL's `GET_LOCK`. On SQLite (one replica per database file) this replica always leads.
 */
@Injectable()
export class LeaderElections {
  /** Identifies this process as a lease holder, readable in Redis for whoever investigates. */
  private readonly token = newReplicaId();

  constructor(
    private readonly redis: RedisConnection,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  elect(name: string, ttlMs: () => number): LeaderElection {
    return new LeaderElection(this.leaseFor(name), name, ttlMs);
  }

  private leaseFor(name: string): LeaderLease {
    if (this.dataSource.options.type !== 'mysql') return new SoleReplicaLease();
    if (this.redis.client)
      return new RedisLeaderLease(this.redis.client, this.redis.key(`lease:${name}`), this.token);
    return new MysqlLeaderLease(this.dataSource, name);
  }
}
