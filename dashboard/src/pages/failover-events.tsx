import { PageHeader } from '../components/ui.js';

export function FailoverEvents() {
  return <PageHeader title="FailoverEvents" />;
}
