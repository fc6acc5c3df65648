import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OverviewQueryDto, TimeseriesQueryDto } from './stats-query.dto.js';
import { ProxyKeyUsageSummaryDto, StatsOverviewDto, TimeseriesDto } from './stats-response.dto.js';
import { UsageStatsService } from './usage-stats.service.js';

@ApiTags('admin: logs and stats')
@ApiBearerAuth()
@Controller('admin/stats')
export class StatsController {
  constructor(private readonly stats: UsageStatsService) {}

  @Get('overview')
  @ApiOkResponse({
    type: StatsOverviewDto,
    description:
      'Totals and breakdowns from the hourly aggregates; latency percentiles from the request logs',
  })
  overview(@Query() query: OverviewQueryDto): Promise<StatsOverviewDto> {
    return this.stats.overview(query.range);
  }

  @Get('timeseries')
  @ApiOkResponse({ type: TimeseriesDto, description: 'Series for charts, from the hourly aggregates' })
  timeseries(@Query() query: TimeseriesQueryDto): Promise<TimeseriesDto> {
    return this.stats.timeseries(query);
  }

  @Get('proxy-keys')
  @ApiOkResponse({
    type: [ProxyKeyUsageSummaryDto],
    description: 'Per proxy key that has traffic: tokens spent so far and when it was last used',
  })
  proxyKeys(): Promise<ProxyKeyUsageSummaryDto[]> {
    return this.stats.proxyKeyUsage();
  }
}
