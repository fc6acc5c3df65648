import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Put,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Actor } from '../auth/actor.decorator.js';
import { GroupDto, PatchGroupDto } from './dto/group.dto.js';
import { GroupViewDto } from './dto/group-view.dto.js';
import { ProviderGroupsService } from './provider-groups.service.js';

@ApiTags('admin: groups')
@ApiBearerAuth()
@Controller('admin/groups')
export class ProviderGroupsController {
  constructor(private readonly groups: ProviderGroupsService) {}

  @Get()
  @ApiOkResponse({ type: [GroupViewDto], description: 'Ordered by priority, then id; keys masked' })
  list(): Promise<GroupViewDto[]> {
    return this.groups.list();
  }

  @Get(':id')
  @ApiOkResponse({ type: GroupViewDto })
  @ApiNotFoundResponse()
  get(@Param('id', ParseIntPipe) id: number): Promise<GroupViewDto> {
    return this.groups.get(id);
  }

  @Post()
  @ApiCreatedResponse({ type: GroupViewDto })
  @ApiBadRequestResponse({ description: 'Invalid or unknown fields' })
  @ApiConflictResponse({ description: 'groupName already taken' })
  create(@Body() body: GroupDto, @Actor() actor: string): Promise<GroupViewDto> {
    return this.groups.create(body, actor);
  }

  @Put(':id')
  @ApiOkResponse({
    type: GroupViewDto,
    description: 'Every field replaced; omitted optional fields return to their defaults',
  })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'groupName already taken' })
  replace(
    @Param('id', ParseIntPipe) id: number,
    @Body() body: GroupDto,
    @Actor() actor: string,
  ): Promise<GroupViewDto> {
    return this.groups.replace(id, body, actor);
  }

  @Patch(':id')
  @ApiOkResponse({
    type: GroupViewDto,
    description: 'Only the fields sent change; null resets an optional field',
  })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'groupName already taken' })
  patch(
    @Param('id', ParseIntPipe) id: number,
    @Body() body: PatchGroupDto,
    @Actor() actor: string,
  ): Promise<GroupViewDto> {
    return this.groups.patch(id, body, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted with its keys' })
  @ApiNotFoundResponse()
  remove(@Param('id', ParseIntPipe) id: number, @Actor() actor: string): Promise<void> {
    return this.groups.remove(id, actor);
  }
}
