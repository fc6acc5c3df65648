import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { StatusDto } from './status.dto.js';
import { StatusService } from './status.service.js';

@ApiTags('admin: logs and stats')
@ApiBearerAuth()
@Controller('admin/status')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Get()
  @ApiOkResponse({ type: StatusDto })
  get(): Promise<StatusDto> {
    return this.status.status();
  }
}
