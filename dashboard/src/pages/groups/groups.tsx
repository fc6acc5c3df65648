import { PageHeader } from '../../components/ui.js';

export function Groups() {
  return <PageHeader title="Groups" />;
}
