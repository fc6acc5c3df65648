import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { Actor } from '../auth/actor.decorator.js';
import { HealthCheckConfigDto, UpdateHealthCheckConfigDto } from './dto/health-check-config.dto.js';
import {
  ProviderHealthDto,
  ProviderHealthEnvelope,
  ProviderHealthListEnvelope,
} from './dto/provider-health.dto.js';
import { HealthCheckConfigService, toWire } from './health-check-config.service.js';
import { HealthCheckScheduler } from './health-check.scheduler.js';
import { HealthChecker } from './health-checker.service.js';
import { ProviderHealthService } from './provider-health.service.js';

class HealthCheckConfigEnvelope {
  @ApiProperty({ example: 200 }) code: number;
  @ApiProperty({ type: HealthCheckConfigDto }) data: HealthCheckConfigDto;
}

interface Envelope<T> {
  code: 200;
  data: T;
}

const ok = <T>(data: T): Envelope<T> => ({ code: 200, data });

/** Seed 000's health API (LLMIO-compatible paths, snake_case, `{code, data}`); a "provider" is a group. */
@ApiTags('health API')
@ApiBearerAuth()
@Controller('api')
export class HealthApiController {
  constructor(
    private readonly providers: ProviderHealthService,
    private readonly checker: HealthChecker,
    private readonly config: HealthCheckConfigService,
    private readonly scheduler: HealthCheckScheduler,
  ) {}

  @Get('providers/health')
  @ApiOkResponse({
    type: ProviderHealthListEnvelope,
    description: 'One row per group, disabled ones included',
  })
  async list(): Promise<Envelope<ProviderHealthDto[]>> {
    return ok(await this.providers.list());
  }

  @Get('providers/health/:id')
  @ApiOkResponse({ type: ProviderHealthEnvelope })
  @ApiNotFoundResponse({ description: '{code: 404, message}' })
  async get(@Param('id', ParseIntPipe) id: number): Promise<Envelope<ProviderHealthDto>> {
    return ok(await this.providers.get(id));
  }

  @Post('health-check/force/:id')
  @HttpCode(200)
  @ApiOkResponse({
    type: ProviderHealthEnvelope,
    description: 'Every enabled key of the group probed now (unhealthy ones too); the fresh row',
  })
  @ApiNotFoundResponse({ description: '{code: 404, message}' })
  async force(@Param('id', ParseIntPipe) id: number): Promise<Envelope<ProviderHealthDto>> {
    await this.providers.get(id); // 404 before probing anything
    await this.checker.checkGroup(id);
    return ok(await this.providers.get(id));
  }

  @Get('health-check/config')
  @ApiOkResponse({ type: HealthCheckConfigEnvelope })
  getConfig(): Envelope<HealthCheckConfigDto> {
    return ok(toWire(this.config.get()));
  }

  @Put('health-check/config')
  @ApiOkResponse({
    type: HealthCheckConfigEnvelope,
    description: 'Stored; the job is rescheduled at once (stopped when enabled is false)',
  })
  @ApiBadRequestResponse({ description: '{code: 400, message}' })
  async putConfig(
    @Body() body: UpdateHealthCheckConfigDto,
    @Actor() actor: string,
  ): Promise<Envelope<HealthCheckConfigDto>> {
    const settings = await this.config.update(body, actor);
    this.scheduler.reschedule();
    return ok(toWire(settings));
  }
}
