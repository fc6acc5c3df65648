import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A name for one gateway instance among replicas (host, process, random part), in logs and in what
 * it publishes. One per service instance, not per process: tests run two replicas in one process.
 */
export function newReplicaId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
