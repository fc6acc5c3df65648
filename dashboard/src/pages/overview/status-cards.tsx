import type { ComponentChildren } from 'preact';
import type { HealthCounts, Status, StatsOverview } from '../../api/types.js';
import { fmtCompact, fmtInt, fmtMsPair, fmtRate, fmtUptime } from '../../lib/format.js';

function rateTone(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '';
  return rate >= 0.99 ? 'tone-ok' : rate >= 0.95 ? 'tone-warn' : 'tone-bad';
}

/** A stacked bar of healthy / recovering / unhealthy, with the numbers in words. */
function HealthBar({ counts }: { counts: HealthCounts }) {
  const parts = [
    ['healthy', counts.healthy],
    ['recovering', counts.recovering],
    ['unhealthy', counts.unhealthy],
  ] as const;
  return (
    <>
      <div class="health-bar" aria-hidden="true">
        {parts.map(([name, n]) =>
          n > 0 ? <span key={name} class={`seg state-${name}`} style={{ flexGrow: n }} /> : null,
        )}
      </div>
      <p class="card-detail">
        {parts
          .filter(([, n]) => n > 0)
          .map(([name, n]) => `${n} ${name}`)
          .join(' · ') || 'none configured'}
      </p>
    </>
  );
}

function Card({
  label,
  value,
  tone,
  children,
}: {
  label: string;
  value: string;
  tone?: string;
  children?: ComponentChildren;
}) {
  return (
    // The group is named with its value, so a screen reader announces both.
    <div class={`card stat ${tone ?? ''}`} role="group" aria-label={`${label}: ${value}`}>
      <div class="stat-label">{label}</div>
      <div class="stat-value">{value}</div>
      {children}
    </div>
  );
}

export function StatusCards({ status, overview }: { status?: Status; overview?: StatsOverview }) {
  const last = status?.last24h;
  const tokens = overview?.totals;
  return (
    <div class="cards" aria-busy={status === undefined}>
      <Card label="Requests (24 h)" value={fmtInt(last?.requests)}>
        <p class="card-detail">{tokens ? `${fmtInt(tokens.failures)} failed` : ' '}</p>
      </Card>
      <Card
        label="Success rate (24 h)"
        value={fmtRate(last?.successRate)}
        tone={rateTone(last?.successRate)}
      />
      <Card label="Latency p50 / p95" value={fmtMsPair(last?.latencyP50Ms, last?.latencyP95Ms)} />
      <Card label="Tokens (24 h)" value={fmtCompact(tokens?.totalTokens)}>
        <p class="card-detail">
          {tokens
            ? `${fmtCompact(tokens.promptTokens)} in · ${fmtCompact(tokens.completionTokens)} out`
            : ' '}
        </p>
      </Card>
      <Card label="Groups" value={status ? `${status.groups.healthy} / ${status.groups.total} healthy` : '–'}>
        {status ? <HealthBar counts={status.groups} /> : <p class="card-detail"> </p>}
      </Card>
      <Card
        label="Upstream keys"
        value={status ? `${status.keys.healthy} / ${status.keys.total} healthy` : '–'}
      >
        {status ? <HealthBar counts={status.keys} /> : <p class="card-detail"> </p>}
      </Card>
      <Card
        label="Database"
        value={status ? (status.database.reachable ? 'reachable' : 'unreachable') : '–'}
        tone={status ? (status.database.reachable ? 'tone-ok' : 'tone-bad') : ''}
      >
        <p class="card-detail">{status?.database.type ?? ' '}</p>
      </Card>
      <Card label="Redis" value={status ? (status.redis.configured ? 'configured' : 'none') : '–'}>
        <p class="card-detail">{status && !status.redis.configured ? 'state kept in this process' : ' '}</p>
      </Card>
      <Card label="Uptime" value={status ? fmtUptime(status.uptimeSeconds) : '–'} />
      <Card label="Version" value={status?.version ?? '–'} />
    </div>
  );
}
