import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AdminError, adminErrorStatus } from './admin-error.js';
import { errorBody, surfaceOf } from './error-bodies.js';

/**
 * Maps every exception on the Nest surfaces (`/admin`, `/api`, `/health`, everything else) to
 * that surface's JSON shape: the services' AdminErrors by their code, Nest's own HTTP exceptions
 * (validation pipes, guards, unknown routes) by their status. Unexpected errors become a bare 500 whose detail is only logged,
 * under the request id the client sees.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const req = context.getRequest<Request & { id?: string }>();
    const res = context.getResponse<Response>();
    const surface = surfaceOf(req.path ?? req.url);

    if (exception instanceof AdminError) {
      const status = adminErrorStatus(exception.code);
      if (res.headersSent) return;
      if (exception.retryAfterSeconds !== undefined)
        res.setHeader('Retry-After', String(exception.retryAfterSeconds));
      res.status(status).json(errorBody(surface, status, exception.message, req.id));
      return;
    }

    if (!(exception instanceof HttpException)) {
      this.logger.error({ requestId: req.id, err: exception }, 'unhandled error');
      if (!res.headersSent) res.status(500).json(errorBody(surface, 500, 'Internal server error', req.id));
      return;
    }

    const status = exception.getStatus();
    const response = exception.getResponse();
    if (res.headersSent) return;
    // Terminus answers probes with its own report; keep it intact.
    if (surface === 'health' && typeof response === 'object') {
      res.status(status).json(response);
      return;
    }
    res.status(status).json(errorBody(surface, status, messageOf(response, status), req.id));
  }
}

function messageOf(response: string | object, status: number): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message;
  return HttpStatus[status] ?? 'Error';
}
