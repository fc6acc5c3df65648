import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../auth/actor.decorator.js';
import { AuditService } from '../../audit/audit.service.js';
import { AlertDispatcher } from './alert-dispatcher.service.js';
import type { AlertTestResult } from './alert-payload.js';

class AlertTestResultDto implements AlertTestResult {
  @ApiProperty({ description: 'Position in alerts.webhooks' }) index: number;
  @ApiProperty({ example: 'hooks.slack.com', description: 'The host only: the full URL may be a secret' })
  host: string;
  @ApiProperty() ok: boolean;
  @ApiProperty({ type: Number, nullable: true }) status: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'ECONNREFUSED' }) error: string | null;
  @ApiProperty() latencyMs: number;
}

class AlertTestDto {
  @ApiProperty({ type: [AlertTestResultDto], description: 'One per configured webhook' })
  results: AlertTestResultDto[];
}

/** The Settings page's "Send test alert": one delivery now to every configured webhook. */
@ApiTags('admin: settings')
@ApiBearerAuth()
@Controller('admin/settings/alerts')
export class AlertsTestController {
  constructor(
    private readonly alerts: AlertDispatcher,
    private readonly audit: AuditService,
  ) {}

  @Post('test')
  @HttpCode(200)
  @ApiOkResponse({ type: AlertTestDto, description: 'Sent once per webhook, without retries' })
  async test(@Actor() actor: string): Promise<AlertTestDto> {
    const results = await this.alerts.sendTest(actor);
    await this.audit.transaction((manager) =>
      this.audit.record(manager, {
        actor,
        action: 'test',
        entity: 'setting',
        entityId: 'alerts',
        changes: { webhooks: results.length, delivered: results.filter((result) => result.ok).length },
      }),
    );
    return { results };
  }
}
