import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { HealthState } from '../key-health/health-state.service.js';
import { AttemptPermit, refOf } from '../key-health/key-health.js';
import type { RoutableGroup, RoutableKey } from '../routing/routing-snapshot.js';
import { BalanceSignals, Balancer, PolicyContext } from './policies/balancer.js';
import { groupSignals, keySignalsOf } from './policies/health-signals.js';
import { policyFor } from './policies/policy-registry.js';
import { RoundRobinTurns } from './policies/round-robin-turns.js';
import { rendezvousScore, sessionHash } from './sticky.js';

// The candidate plan of one request (ROUTING.md "Candidates", "Order and balance" and the caps of
// "The failover loop"), walked lazily: each `next()` picks the next key at the moment of the
// attempt, so availability and half-open trial slots are checked then, not when the plan began.
//
// Order: tiers by priority ascending; within a tier the groups by the global policy; within a
// group its keys by the group's policy. A session (sticky) puts its rendezvous-hash key, and that
// key's group, first in every tier. Unavailable keys are skipped; a group without any drops out.
//
// Caps: at most `global.retries + 1` attempts, at most `retryCount + 1` in one group. A key is
// offered once per pass. When the pass is over and attempts remain, a key is offered again only
// if it is the last one left: the single key that is available, not avoided (`avoid`, after a
// 503) and in a group under its cap. `restart()` begins a new pass (after waiting out a 429).
// Fail-open: when the first `next()` finds nothing available, it returns one forced attempt on
// the key whose retry is due soonest, and nothing after it.

export interface Attempt {
  readonly group: RoutableGroup;
  readonly key: RoutableKey;
  /** Give it back with `HealthState.end(permit, outcome, latencyMs)` exactly once. */
  readonly permit: AttemptPermit;
  /** Every candidate was unavailable: this is the one forced try. */
  readonly failOpen: boolean;
}

export interface PlanOptions {
  /** `x-session-id`, else the body's `user`: makes the plan sticky. */
  readonly sessionId?: string;
}

/** What every plan shares; built once by the planner. */
interface PlannerParts {
  readonly health: HealthState;
  readonly maxAttempts: number;
  readonly globalBalancer: Balancer;
  readonly keySignals: BalanceSignals<RoutableKey>;
  readonly groupSignals: BalanceSignals<RoutableGroup>;
  readonly keyTurns: RoundRobinTurns;
  readonly tierTurns: RoundRobinTurns;
  readonly random: () => number;
}

@Injectable()
export class CandidatePlanner {
  private readonly parts: PlannerParts;

  constructor(health: HealthState, config: AppConfig) {
    const keySignals = keySignalsOf(health);
    this.parts = {
      health,
      maxAttempts: config.global.retries + 1,
      globalBalancer: policyFor(config.global.balancePolicy),
      keySignals,
      groupSignals: groupSignals(keySignals),
      keyTurns: new RoundRobinTurns(),
      tierTurns: new RoundRobinTurns(),
      random: () => health.clock.random(),
    };
  }

  /** `groups`: those serving the model that the proxy key may use (or the pinned one). */
  plan(groups: readonly RoutableGroup[], options: PlanOptions = {}): CandidatePlan {
    const session = options.sessionId ? sessionHash(options.sessionId) : undefined;
    return new CandidatePlan(this.parts, byPriority(groups), session);
  }
}

export class CandidatePlan {
  private count = 0;
  private readonly tried: Attempt[] = [];
  private avoided: number[] | undefined;
  // The tier being walked (it ends before groups[tierEnd]): its groups that have an available key.
  private tierEnd = 0;
  private readonly tierGroups: RoutableGroup[] = [];
  private tierPos = 0;
  private tierCtx: PolicyContext<RoutableGroup> | undefined;
  private stickyGroup: RoutableGroup | undefined;
  private stickyKey: RoutableKey | undefined;
  private stickyGroupDue = false;
  // The group being walked: its available keys.
  private group: RoutableGroup | undefined;
  private balancer: Balancer | undefined;
  private readonly keys: RoutableKey[] = [];
  private keyPos = 0;
  private keyCtx: PolicyContext<RoutableKey> | undefined;
  private groupAttempts = 0;
  private stickyKeyDue = false;

  constructor(
    private readonly parts: PlannerParts,
    private readonly groups: readonly RoutableGroup[],
    private readonly session: number | undefined,
  ) {}

  /** Attempts handed out so far (`x-switchyard-attempts`). */
  get attempts(): number {
    return this.count;
  }

  /** The next admitted attempt, or undefined when the request has nowhere left to go. */
  next(): Attempt | undefined {
    if (this.count >= this.parts.maxAttempts) return undefined;
    const now = this.parts.health.now();
    const attempt = this.nextInOrder(now) ?? this.lastOneLeft(now) ?? this.failOpen(now);
    if (attempt) {
      this.count += 1;
      this.tried.push(attempt);
    }
    return attempt;
  }

  /** Never offer this key again in this request (after a 503: "a different key"). */
  avoid(keyId: number): void {
    (this.avoided ??= []).push(keyId);
  }

  /** A new pass over every candidate (the retry after a 429 wait); the caps keep counting. */
  restart(): void {
    this.tierEnd = 0;
    this.tierGroups.length = 0;
    this.tierPos = 0;
    this.group = undefined;
  }

  private nextInOrder(now: number): Attempt | undefined {
    for (;;) {
      if (this.group) {
        const attempt = this.nextKey(this.group, now);
        if (attempt) return attempt;
        this.group = undefined;
      }
      const group = this.nextGroup(now);
      if (!group) return undefined;
      this.enterGroup(group, now);
    }
  }

  private nextGroup(now: number): RoutableGroup | undefined {
    for (;;) {
      if (this.stickyGroupDue) {
        this.stickyGroupDue = false;
        return this.stickyGroup;
      }
      while (this.tierPos < this.tierGroups.length) {
        this.parts.globalBalancer.selectNext(this.tierGroups, this.tierPos, this.tierCtx!);
        const group = this.tierGroups[this.tierPos++];
        if (group !== this.stickyGroup) return group;
      }
      if (!this.enterTier(now)) return undefined;
    }
  }

  private enterTier(now: number): boolean {
    const { groups, parts } = this;
    if (this.tierEnd >= groups.length) return false;
    const tierStart = this.tierEnd;
    const priority = groups[tierStart].priority;
    let end = tierStart;
    while (end < groups.length && groups[end].priority === priority) end += 1;
    this.tierEnd = end;
    this.tierGroups.length = 0;
    this.tierPos = 0;
    this.stickyGroup = undefined;
    this.stickyKey = undefined;
    let best = -1;
    for (let g = tierStart; g < end; g += 1) {
      const group = groups[g];
      let live = false;
      for (const key of group.keys) {
        if (!parts.health.isAvailable(key.id, now)) continue;
        live = true;
        if (this.session === undefined) break;
        const score = rendezvousScore(this.session, key.id);
        if (score > best) {
          best = score;
          this.stickyKey = key;
          this.stickyGroup = group;
        }
      }
      if (live) this.tierGroups.push(group);
    }
    this.stickyGroupDue = this.stickyGroup !== undefined;
    const balancer = parts.globalBalancer;
    const turn = balancer.usesTurns && this.tierGroups.length > 1 ? parts.tierTurns.take(priority) : 0;
    this.tierCtx = { signals: parts.groupSignals, random: parts.random, turn };
    return true;
  }

  private enterGroup(group: RoutableGroup, now: number): void {
    const { parts } = this;
    this.group = group;
    this.keys.length = 0;
    for (const key of group.keys) if (parts.health.isAvailable(key.id, now)) this.keys.push(key);
    this.keyPos = 0;
    this.groupAttempts = this.attemptsIn(group);
    this.stickyKeyDue = group === this.stickyGroup;
    const balancer = (this.balancer = policyFor(group.balancePolicy));
    const turn = balancer.usesTurns && this.keys.length > 1 ? parts.keyTurns.take(group.id) : 0;
    this.keyCtx = { signals: parts.keySignals, random: parts.random, turn };
  }

  private nextKey(group: RoutableGroup, now: number): Attempt | undefined {
    while (this.groupAttempts <= group.retryCount) {
      let key: RoutableKey;
      if (this.stickyKeyDue) {
        this.stickyKeyDue = false;
        key = this.stickyKey!;
      } else {
        if (this.keyPos >= this.keys.length) return undefined;
        this.balancer!.selectNext(this.keys, this.keyPos, this.keyCtx!);
        key = this.keys[this.keyPos++];
        if (group === this.stickyGroup && key === this.stickyKey) continue;
      }
      if (this.isAvoided(key.id)) continue;
      const permit = this.parts.health.tryBegin(refOf(group, key), now);
      if (!permit) continue;
      this.groupAttempts += 1;
      return { group, key, permit, failOpen: false };
    }
    return undefined;
  }

  private lastOneLeft(now: number): Attempt | undefined {
    if (this.count === 0) return undefined;
    let found: RoutableKey | undefined;
    let foundGroup: RoutableGroup | undefined;
    for (const group of this.groups) {
      if (this.attemptsIn(group) > group.retryCount) continue;
      for (const key of group.keys) {
        if (this.isAvoided(key.id) || !this.parts.health.isAvailable(key.id, now)) continue;
        if (found) return undefined;
        found = key;
        foundGroup = group;
      }
    }
    if (!found || !foundGroup) return undefined;
    const permit = this.parts.health.tryBegin(refOf(foundGroup, found), now);
    return permit && { group: foundGroup, key: found, permit, failOpen: false };
  }

  private failOpen(now: number): Attempt | undefined {
    if (this.count > 0) return undefined;
    let chosen: RoutableKey | undefined;
    let chosenGroup: RoutableGroup | undefined;
    let soonest = Number.POSITIVE_INFINITY;
    for (const group of this.groups) {
      for (const key of group.keys) {
        const due = this.parts.health.retryDueAt(key.id, now);
        if (chosen && due >= soonest) continue;
        chosen = key;
        chosenGroup = group;
        soonest = due;
      }
    }
    if (!chosen || !chosenGroup) return undefined;
    const permit = this.parts.health.tryBegin(refOf(chosenGroup, chosen), now, true)!;
    return { group: chosenGroup, key: chosen, permit, failOpen: true };
  }

  private attemptsIn(group: RoutableGroup): number {
    let n = 0;
    for (const attempt of this.tried) if (attempt.group.id === group.id) n += 1;
    return n;
  }

  private isAvoided(keyId: number): boolean {
    return this.avoided !== undefined && this.avoided.includes(keyId);
  }
}

/** Groups ordered by priority, stable; the routing snapshot already returns them so (no copy then). */
function byPriority(groups: readonly RoutableGroup[]): readonly RoutableGroup[] {
  for (let i = 1; i < groups.length; i += 1) {
    if (groups[i].priority < groups[i - 1].priority)
      return [...groups].sort((a, b) => a.priority - b.priority);
  }
  return groups;
}
