import { PageHeader } from '../../components/ui.js';

export function Settings() {
  return <PageHeader title="Settings" />;
}
