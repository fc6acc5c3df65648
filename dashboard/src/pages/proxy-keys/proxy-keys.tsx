import { PageHeader } from '../../components/ui.js';

export function ProxyKeys() {
  return <PageHeader title="ProxyKeys" />;
}
