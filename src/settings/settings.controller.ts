import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '../auth/actor.decorator.js';
import { SettingsService } from './settings.service.js';

const SETTINGS_SCHEMA = {
  type: 'object',
  additionalProperties: { type: 'object', additionalProperties: true },
  description: 'One property per settings section; each section merges shallowly over its current value',
  example: {
    requestLogging: { enabled: true, detailedContent: false, maxContentLength: 1000, retentionDays: 30 },
  },
} as const;

@ApiTags('admin: settings')
@ApiBearerAuth()
@Controller('admin/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @ApiOkResponse({ schema: SETTINGS_SCHEMA })
  all(): Record<string, unknown> {
    return this.settings.all();
  }

  @Put()
  @ApiBody({ schema: SETTINGS_SCHEMA })
  @ApiOkResponse({ schema: SETTINGS_SCHEMA, description: 'Every section after the update' })
  update(@Body() body: Record<string, unknown>, @Actor() actor: string): Promise<Record<string, unknown>> {
    return this.settings.update(body, actor);
  }
}
