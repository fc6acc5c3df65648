import { Controller, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RoutingTable } from '../routing/routing-table.js';
import { GroupTestDto, KeyTestResultDto } from './dto/group-test.dto.js';
import { GroupRoster } from './group-roster.js';
import { HealthChecker } from './health-checker.service.js';
import { isSkipped, ProbeAttempt } from './key-prober.service.js';

/** The "test provider" button: a real probe of every key now, without touching health state. */
@ApiTags('admin: groups')
@ApiBearerAuth()
@Controller('admin/groups')
export class GroupTestController {
  constructor(
    private readonly groups: GroupRoster,
    private readonly routing: RoutingTable,
    private readonly checker: HealthChecker,
  ) {}

  @Post(':id/test')
  @HttpCode(200)
  @ApiOkResponse({
    type: GroupTestDto,
    description: 'Per key: ok, status, latency, error; disabled keys are listed, not probed',
  })
  @ApiNotFoundResponse()
  async test(@Param('id', ParseIntPipe) id: number): Promise<GroupTestDto> {
    const group = await this.groups.get(id);
    const routable = this.routing.current().groups.find((candidate) => candidate.id === id);
    const probed = new Map(
      (routable ? await this.checker.probeGroup(routable) : []).map((r) => [r.key.id, r.attempt]),
    );
    const results = group.keys.map((key): KeyTestResultDto => {
      const attempt = probed.get(key.id);
      if (attempt) return resultOf(key.id, key.masked, attempt);
      const why = !group.enabled
        ? 'group disabled'
        : !key.enabled
          ? 'key disabled'
          : !key.usable
            ? 'key cannot be decrypted'
            : 'not in the routing table yet';
      return {
        keyId: key.id,
        masked: key.masked,
        ok: false,
        status: null,
        latencyMs: null,
        error: `not probed: ${why}`,
      };
    });
    const tried = results.filter((result) => probed.has(result.keyId));
    return {
      groupId: group.id,
      groupName: group.name,
      ok: tried.length > 0 && tried.every((result) => result.ok),
      results,
    };
  }
}

function resultOf(keyId: number, masked: string, attempt: ProbeAttempt): KeyTestResultDto {
  if (isSkipped(attempt))
    return {
      keyId,
      masked,
      ok: false,
      status: null,
      latencyMs: null,
      error: `not probed: ${attempt.skipped}`,
    };
  return {
    keyId,
    masked,
    ok: attempt.ok,
    status: attempt.status ?? null,
    latencyMs: attempt.latencyMs,
    error: attempt.error ?? null,
  };
}
