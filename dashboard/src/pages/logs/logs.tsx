import { PageHeader } from '../../components/ui.js';

export function Logs() {
  return <PageHeader title="Logs" />;
}
