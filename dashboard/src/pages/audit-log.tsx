import { PageHeader } from '../components/ui.js';

export function AuditLog() {
  return <PageHeader title="AuditLog" />;
}
