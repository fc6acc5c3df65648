import type { RequestLog } from '../../api/types.js';
import { Empty } from '../../components/ui.js';
import { fmtInt, fmtMs, fmtTime, statusClass } from '../../lib/format.js';
import { BASE, followLink } from '../../lib/router.js';

/** The last requests, newest first; each opens its detail in Logs. */
export function LiveStrip({ logs }: { logs?: RequestLog[] }) {
  if (logs && logs.length === 0)
    return <Empty>No requests yet — create a proxy key and send a request to /v1/chat/completions.</Empty>;
  return (
    <ul class="live-strip" aria-label="Latest requests" aria-busy={logs === undefined}>
      {(logs ?? []).map((log) => (
        <li key={log.id}>
          <a href={`${BASE}/logs?id=${log.id}`} onClick={(e) => followLink(e, `/logs?id=${log.id}`)}>
            <span class={`pill tone-${statusClass(log.status)}`}>{log.status}</span>
            <span class="mono">{fmtTime(log.createdAt)}</span>
            <span class="strong truncate">{log.model}</span>
            <span class="muted wide-only">{log.groupName ?? 'no group'}</span>
            <span>{fmtMs(log.latencyMs)}</span>
            <span class="muted wide-only">
              {log.totalTokens === null ? '' : `${fmtInt(log.totalTokens)} tok`}
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}
