import { PageHeader } from '../components/ui.js';

export function Usage() {
  return <PageHeader title="Usage" />;
}
