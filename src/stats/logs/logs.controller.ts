import { Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { LogsQueryDto } from './logs-query.dto.js';
import { LogsService } from './logs.service.js';
import { RequestLogDetailDto, RequestLogPageDto } from './request-log.dto.js';

@ApiTags('admin: logs and stats')
@ApiBearerAuth()
@Controller('admin/logs')
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  @Get()
  @ApiOkResponse({ type: RequestLogPageDto, description: 'Newest first' })
  list(@Query() query: LogsQueryDto): Promise<RequestLogPageDto> {
    return this.logs.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: RequestLogDetailDto })
  @ApiNotFoundResponse({ description: 'No such request log' })
  get(@Param('id', ParseIntPipe) id: number): Promise<RequestLogDetailDto> {
    return this.logs.get(id);
  }
}
