import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { FailoverEventsPageDto, FailoverEventsQueryDto } from './dto/failover-events.dto.js';
import { FailoverEventsService } from './failover-events.service.js';

@ApiTags('admin: health')
@ApiBearerAuth()
@Controller('admin/failover-events')
export class FailoverEventsController {
  constructor(private readonly events: FailoverEventsService) {}

  @Get()
  @ApiOkResponse({
    type: FailoverEventsPageDto,
    description:
      'Breaker transitions, key invalidations, unhealthy/recovered verdicts and 429 cooldowns; newest first',
  })
  list(@Query() query: FailoverEventsQueryDto): Promise<FailoverEventsPageDto> {
    return this.events.list(query);
  }
}
