import { Body, Controller, Delete, HttpCode, Param, ParseIntPipe, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Actor } from '../auth/actor.decorator.js';
import { GroupViewDto } from './dto/group-view.dto.js';
import { AddUpstreamKeysDto, PatchUpstreamKeyDto } from './dto/upstream-key.dto.js';
import { ProviderGroupsService } from './provider-groups.service.js';
import { UpstreamKeysService } from './upstream-keys.service.js';

// Each answer is the whole group, so the caller sees the new key ids and every key masked.
@ApiTags('admin: groups')
@ApiBearerAuth()
@Controller('admin/groups/:id/keys')
export class UpstreamKeysController {
  constructor(
    private readonly keys: UpstreamKeysService,
    private readonly groups: ProviderGroupsService,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: GroupViewDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The group already holds this key' })
  async add(
    @Param('id', ParseIntPipe) id: number,
    @Body() body: AddUpstreamKeysDto,
    @Actor() actor: string,
  ): Promise<GroupViewDto> {
    await this.keys.add(id, body, actor);
    return this.groups.get(id);
  }

  @Patch(':keyId')
  @ApiOkResponse({ type: GroupViewDto })
  @ApiNotFoundResponse()
  async update(
    @Param('id', ParseIntPipe) id: number,
    @Param('keyId', ParseIntPipe) keyId: number,
    @Body() body: PatchUpstreamKeyDto,
    @Actor() actor: string,
  ): Promise<GroupViewDto> {
    await this.keys.update(id, keyId, body, actor);
    return this.groups.get(id);
  }

  @Delete(':keyId')
  @HttpCode(200)
  @ApiOkResponse({ type: GroupViewDto })
  @ApiNotFoundResponse()
  async remove(
    @Param('id', ParseIntPipe) id: number,
    @Param('keyId', ParseIntPipe) keyId: number,
    @Actor() actor: string,
  ): Promise<GroupViewDto> {
    await this.keys.remove(id, keyId, actor);
    return this.groups.get(id);
  }
}
