import type { KeyHealthDto, ProviderHealthDto } from '../health/dto/provider-health.dto.js';

// `switchyard health` output, in the words of seed 003's `stats` command:
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

export function formatHealthReport(groups: readonly ProviderHealthDto[], now: number): string {
  if (groups.length === 0) return 'No provider groups configured.\n0/0 healthy, 0 recovering, 0 down\n';
  const lines: Array<[string, string]> = [];
  for (const group of groups) {
    lines.push([group.provider_name, describeState(group, now)]);
    for (const key of group.keys) lines.push([`  ${key.masked} (#${key.id})`, describeState(key, now)]);
  }
  const width = Math.max(...lines.map(([name]) => name.length)) + 2;
  const body = lines.map(([name, state]) => name.padEnd(width) + state).join('\n');
  return `${body}\n\n${overallLine(groups)}\n`;
}
