import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Public } from '../auth/public.decorator.js';
import { AppConfig } from '../config/app-config.js';
import { MetricsService } from './metrics.service.js';
import { AdminError } from '../common/admin-error.js';

/** Prometheus scrape endpoint: no admin JWT (public), behind `METRICS_TOKEN` when set. */
@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiBearerAuth()
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and the bearer token does not match' })
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const expected = this.config.metricsToken;
    if (
      expected !== undefined &&
      !sameSecret(/^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '', expected)
    ) {
      throw new AdminError('unauthorized', 'A valid metrics bearer token is required');
    }
    res.type(this.metrics.contentType);
    return this.metrics.render();
  }
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
