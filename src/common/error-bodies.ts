// The error body of each surface (STYLE.md: one mapper per surface).

export interface AdminErrorBody {
  statusCode: number;
  message: string;
  requestId?: string;
}

export interface ApiErrorBody {
  code: number;
  message: string;
}

export type Surface = 'admin' | 'api' | 'health';

export function surfaceOf(path: string): Surface {
  if (path.startsWith('/api/')) return 'api';
  if (path === '/health' || path.startsWith('/health/')) return 'health';
  return 'admin';
}

export function errorBody(
  surface: Surface,
  statusCode: number,
  message: string,
  requestId?: string,
): AdminErrorBody | ApiErrorBody {
  return surface === 'api' ? { code: statusCode, message } : { statusCode, message, requestId };
}
