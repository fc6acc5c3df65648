import type { GroupTest } from '../../api/types.js';
import { ErrorMessage } from '../../components/ui.js';
import { fmtMs } from '../../lib/format.js';

/** The probe's answer per key, inline under the group's row. */
export function TestResults({
  group,
  test,
  onClose,
}: {
  group: string;
  test: GroupTest | 'running' | { error: unknown };
  onClose: () => void;
}) {
  if (test === 'running')
    return (
      <p class="muted" role="status">
        Testing {group}…
      </p>
    );
  if ('error' in test) return <ErrorMessage error={test.error} prefix={`Test of ${group} failed`} />;
  return (
    <div class="test-results" role="region" aria-label={`Test results for ${group}`}>
      <p role="status">
        <strong>{test.ok ? 'Every key answered.' : 'Some keys failed.'}</strong>{' '}
        <button type="button" class="btn-small" onClick={onClose}>
          Hide results
        </button>
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Result</th>
            <th scope="col">Status</th>
            <th scope="col" class="num">
              Latency
            </th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {test.results.map((result) => (
            <tr key={result.keyId}>
              <td class="mono">{result.masked}</td>
              <td>
                <span class={`badge badge-${result.ok ? 'ok' : 'failed'}`}>
                  {result.ok ? 'ok' : 'failed'}
                </span>
              </td>
              <td>{result.status ?? '–'}</td>
              <td class="num">{fmtMs(result.latencyMs)}</td>
              <td>{result.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
