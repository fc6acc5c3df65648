import { api } from '../../api/client.js';
import type { RequestLogDetail } from '../../api/types.js';
import { Dialog, ErrorMessage } from '../../components/ui.js';
import { DASH, fmtDateTime, fmtInt, fmtMs } from '../../lib/format.js';
import { useLoad } from '../../lib/hooks.js';

/** Pretty-prints JSON bodies; anything else is shown as it came. Always rendered as text. */
function readable(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function Body({ title, body }: { title: string; body: string | null }) {
  return (
    <>
      <h3>{title}</h3>
      {body === null ? (
        <p class="muted">
          Not kept — turn on detailed logging in Settings to keep request and response bodies.
        </p>
      ) : (
        // A text node: hostile markup in a body is never parsed as HTML.
        <pre class="body-text" aria-label={title}>
          {readable(body)}
        </pre>
      )}
    </>
  );
}

export function LogDetail({ id, onClose }: { id: number; onClose: () => void }) {
  const { data: log, error } = useLoad(
    (signal) => api<RequestLogDetail>(`/admin/logs/${id}`, { signal }),
    [id],
  );
  return (
    <Dialog title={`Request ${id}`} onClose={onClose} wide>
      <ErrorMessage error={error} />
      {log ? (
        <>
          <dl class="facts">
            <dt>Time</dt>
            <dd>{fmtDateTime(log.createdAt)}</dd>
            <dt>Request id</dt>
            <dd class="mono">{log.requestId}</dd>
            <dt>Endpoint</dt>
            <dd class="mono">{log.endpoint}</dd>
            <dt>Status</dt>
            <dd>
              {log.status}
              {log.errorType ? ` · ${log.errorType}` : ''}
            </dd>
            {log.errorMessage ? (
              <>
                <dt>Error</dt>
                <dd>{log.errorMessage}</dd>
              </>
            ) : null}
            <dt>Model</dt>
            <dd>
              {log.model}
              {log.upstreamModel && log.upstreamModel !== log.model ? ` → ${log.upstreamModel}` : ''}
            </dd>
            <dt>Group</dt>
            <dd>
              {log.groupName ?? DASH}
              {log.upstreamKeyId ? ` · key ${log.upstreamKeyId}` : ''}
              {log.pinned ? ' · pinned by the request' : ''}
            </dd>
            <dt>Proxy key</dt>
            <dd>{log.proxyKeyName ?? DASH}</dd>
            <dt>Attempts</dt>
            <dd>{log.attempts}</dd>
            <dt>Timings</dt>
            <dd>
              {fmtMs(log.latencyMs)} total · first byte {fmtMs(log.ttfbMs)} ·{' '}
              {log.stream ? 'stream' : 'non-stream'}
            </dd>
            <dt>Tokens</dt>
            <dd>
              {fmtInt(log.promptTokens)} prompt · {fmtInt(log.completionTokens)} completion ·{' '}
              {fmtInt(log.totalTokens)} total
            </dd>
            <dt>Client</dt>
            <dd>
              {log.clientIp ?? DASH} · {log.userAgent ?? DASH}
            </dd>
          </dl>
          <Body title="Request body" body={log.requestBody} />
          <Body title="Response body" body={log.responseBody} />
        </>
      ) : (
        <div class="page-loading" style={{ minHeight: '240px' }} aria-busy="true" />
      )}
    </Dialog>
  );
}
