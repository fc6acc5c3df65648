import { PageHeader } from '../../components/ui.js';

export function Health() {
  return <PageHeader title="Health" />;
}
