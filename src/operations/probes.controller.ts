import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator.js';
import { LifecycleService } from '../common/lifecycle.service.js';
import { RoutingTable } from '../routing/routing-table.js';

const DATABASE_PING_TIMEOUT_MS = 1500;

/** Kubernetes probes. Readiness never looks at upstream providers: they have their own breakers. */
@ApiTags('operations')
@Public()
@Controller('health')
export class ProbesController {
  private migrationsApplied = false;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly typeOrm: TypeOrmHealthIndicator,
    private readonly lifecycle: LifecycleService,
    private readonly routing: RoutingTable,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOkResponse({ description: 'The process answers; no dependency is checked' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOkResponse({
    description: 'Database reachable, migrations applied, routing table loaded, not shutting down',
  })
  @ApiServiceUnavailableResponse({ description: 'Not ready: see the failing indicator' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check(this.readinessChecks());
  }

  @Get()
  @HealthCheck()
  @ApiOkResponse({ description: 'Readiness plus an informational summary' })
  summary(): Promise<HealthCheckResult> {
    return this.health.check([
      ...this.readinessChecks(),
      () =>
        this.indicators.check('process').up({
          uptimeSeconds: Math.round(process.uptime()),
          requestsInFlight: this.lifecycle.requestsInFlight,
        }),
    ]);
  }

  private readinessChecks() {
    return [
      () => this.shutdownCheck(),
      () => this.routingCheck(),
      () => this.typeOrm.pingCheck('database').withTimeout(DATABASE_PING_TIMEOUT_MS),
      () =>
        this.indicators
          .check('migrations')
          .attempt(() => this.assertMigrationsApplied())
          .withTimeout(DATABASE_PING_TIMEOUT_MS),
    ];
  }

  private shutdownCheck() {
    const session = this.indicators.check('lifecycle');
    return this.lifecycle.draining ? session.down({ message: 'shutting down' }) : session.up();
  }

  private routingCheck() {
    const session = this.indicators.check('routing');
    return this.routing.loaded
      ? session.up({ version: this.routing.current().version })
      : session.down({ message: 'routing table not loaded yet' });
  }

  private async assertMigrationsApplied(): Promise<void> {
    // Applied migrations never un-apply while the process runs, so one success is enough.
    if (this.migrationsApplied) return;
    if (await this.dataSource.showMigrations()) throw new Error('pending migrations');
    this.migrationsApplied = true;
  }
}
