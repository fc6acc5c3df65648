import { useState } from 'preact/hooks';
import type { CreatedProxyKey } from '../../api/types.js';
import { Dialog } from '../../components/ui.js';

/** The full key, the only time the gateway returns it. */
export function ShownOnce({
  created,
  rotated,
  onClose,
}: {
  created: CreatedProxyKey;
  rotated: boolean;
  onClose: () => void;
}) {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();

  async function copy() {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <Dialog title={rotated ? `New key for ${created.name}` : `Key ${created.name} created`} onClose={onClose}>
      <div class="alert alert-warn" role="note">
        Copy this key now: it is shown only this once.{' '}
        {rotated ? 'The previous key has stopped working.' : ''}
      </div>
      <div class="field">
        <label for="shown-once-key">New key</label>
        <input
          id="shown-once-key"
          class="mono"
          readOnly
          value={created.key}
          onFocus={(e) => e.currentTarget.select()}
        />
      </div>
      <p role="status" class="muted">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'The browser refused the clipboard: select the key and copy it.'
            : ''}
      </p>
      <div class="form-actions">
        <button type="button" class="btn-primary" onClick={copy}>
          Copy
        </button>
        <button type="button" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
