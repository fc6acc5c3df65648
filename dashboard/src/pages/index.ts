import type { FunctionComponent } from 'preact';
import { lazy } from 'preact/compat';
import { Overview } from './overview.js';

export interface PageEntry {
  path: string;
  /** The navigation link's name (the browser tests select by it). */
  name: string;
  component: FunctionComponent;
}

// Overview is in the first bundle; the other pages load when first visited.
export const PAGES: PageEntry[] = [
  { path: '/', name: 'Overview', component: Overview },
  {
    path: '/groups',
    name: 'Groups',
    component: lazy(() => import('./groups/groups.js').then((m) => m.Groups)),
  },
  {
    path: '/proxy-keys',
    name: 'Proxy keys',
    component: lazy(() => import('./proxy-keys/proxy-keys.js').then((m) => m.ProxyKeys)),
  },
  {
    path: '/health',
    name: 'Health',
    component: lazy(() => import('./health/health.js').then((m) => m.Health)),
  },
  { path: '/logs', name: 'Logs', component: lazy(() => import('./logs/logs.js').then((m) => m.Logs)) },
  { path: '/usage', name: 'Usage', component: lazy(() => import('./usage.js').then((m) => m.Usage)) },
  {
    path: '/failover-events',
    name: 'Failover events',
    component: lazy(() => import('./failover-events.js').then((m) => m.FailoverEvents)),
  },
  {
    path: '/settings',
    name: 'Settings',
    component: lazy(() => import('./settings/settings.js').then((m) => m.Settings)),
  },
  {
    path: '/audit-log',
    name: 'Audit log',
    component: lazy(() => import('./audit-log.js').then((m) => m.AuditLog)),
  },
];
