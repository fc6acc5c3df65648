import type { KeyHealthDto, ProviderHealthDto } from '../health/dto/provider-health.dto.js';

// `switchyard health` (and `stats`, which adds 24 h of traffic) output:
//   openai-primary   Healthy
//     sk-…abcd       Recovering (retry in 45s)
//   2/4 healthy, 1 recovering, 1 down
// Pure: rows of GET /api/providers/health and the time in, text out.

type HealthFields = Pick<
  KeyHealthDto,
  'status' | 'error_count' | 'consecutive_failures' | 'next_retry_at' | 'last_status_code'
> & { reason?: KeyHealthDto['reason']; available?: boolean; available_at?: string | null };

/** `45s`, `8m`, `2h`, `3d`: rounded up, so "retry in 1s" never means "already due". */
export function formatIn(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.ceil(minutes / 60);
  return hours < 48 ? `${hours}h` : `${Math.ceil(hours / 24)}d`;
}

export function describeState(row: HealthFields, now: number): string {
  const at = row.available_at ?? row.next_retry_at;
  const retry = at ? `retry in ${formatIn(Date.parse(at) - now)}` : undefined;
  switch (row.status) {
    case 'healthy':
      return row.reason === 'cooling_down_429' && retry ? `Healthy (rate limited, ${retry})` : 'Healthy';
    case 'recovering':
      return `Recovering (${retry ?? 'trial traffic'})`;
    case 'disabled':
      return row.reason === 'group_disabled' ? 'Disabled (group)' : 'Disabled';
    default: {
      if (row.reason === 'invalid_credentials') {
        const status = row.last_status_code ? `, HTTP ${row.last_status_code}` : '';
        return `Unhealthy (invalid credentials${status}, until a check passes)`;
      }
      const failures = Math.max(row.error_count, row.consecutive_failures);
      const parts = [`${failures} ${failures === 1 ? 'failure' : 'failures'}`, retry].filter(Boolean);
      return `Unhealthy (${parts.join(', ')})`;
    }
  }
}

/** Enabled keys of enabled groups count; disabled ones are listed, not counted. */
export function overallLine(groups: readonly ProviderHealthDto[]): string {
  const keys = groups.flatMap((group) => group.keys);
  const counted = keys.filter((key) => key.status !== 'disabled');
  const count = (status: string) => counted.filter((key) => key.status === status).length;
  const disabled = keys.length - counted.length;
  return (
    `${count('healthy')}/${counted.length} healthy, ${count('recovering')} recovering, ${count('unhealthy')} down` +
    (disabled > 0 ? `, ${disabled} disabled` : '')
  );
}

const NO_GROUPS = 'No provider groups configured.\n0/0 healthy, 0 recovering, 0 down\n';

/** One line per group and key: its name and state, and what `extra` adds (aligned columns). */
export function formatRows(
  groups: readonly ProviderHealthDto[],
  now: number,
  extra?: (row: ProviderHealthDto | KeyHealthDto) => string,
): string {
  const lines: string[][] = [];
  const cells = (name: string, row: ProviderHealthDto | KeyHealthDto) =>
    extra ? [name, describeState(row, now), extra(row)] : [name, describeState(row, now)];
  for (const group of groups) {
    lines.push(cells(group.provider_name, group));
    for (const key of group.keys) lines.push(cells(`  ${key.masked} (#${key.id})`, key));
  }
  const widths = lines[0].map((_, column) => Math.max(...lines.map((line) => line[column].length)) + 2);
  return lines
    .map((line) =>
      line.map((cell, column) => (column < line.length - 1 ? cell.padEnd(widths[column]) : cell)).join(''),
    )
    .join('\n');
}

export function formatHealthReport(groups: readonly ProviderHealthDto[], now: number): string {
  if (groups.length === 0) return NO_GROUPS;
  return `${formatRows(groups, now)}\n\n${overallLine(groups)}\n`;
}

/** `switchyard stats`: the health report with each row's requests and success rate of the last 24 h. */
export function formatStatsReport(groups: readonly ProviderHealthDto[], now: number): string {
  if (groups.length === 0) return NO_GROUPS;
  const traffic = (row: ProviderHealthDto | KeyHealthDto) =>
    `${row.total_requests_24h} req/24h` +
    (row.success_rate_24h === null ? '' : `, ${row.success_rate_24h}% ok`);
  const requests = groups.reduce((sum, group) => sum + group.total_requests_24h, 0);
  const succeeded = groups.reduce(
    (sum, group) => sum + ((group.success_rate_24h ?? 0) / 100) * group.total_requests_24h,
    0,
  );
  const rate = requests === 0 ? '' : `, ${Math.round((succeeded / requests) * 1000) / 10}% succeeded`;
  return `${formatRows(groups, now, traffic)}\n\n${overallLine(groups)}\n${requests} requests in the last 24 h${rate}\n`;
}
