/**
 * A lease that at most one replica holds at a time, named for the job it guards. `hold()` is
 * called periodically (every third of the lease's time to live): it takes the lease when it is
 * free, keeps it when this replica has it, and reports which. A holder that dies stops renewing,
 * and the lease passes to another replica once it expires.
 */
export interface LeaderLease {
  /** Takes or renews the lease for `ttlMs`; true while this replica holds it. Throws when the store is unreachable. */
  hold(ttlMs: number): Promise<boolean>;
  /** Gives the lease up at once (shutdown), so another replica need not wait for it to expire. */
  release(): Promise<void>;
}

/** SQLite: one replica per database file, which therefore always holds every lease. */
export class SoleReplicaLease implements LeaderLease {
  hold(): Promise<boolean> {
    return Promise.resolve(true);
  }

  release(): Promise<void> {
    return Promise.resolve();
  }
}
