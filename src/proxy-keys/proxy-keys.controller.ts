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
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Actor } from '../auth/actor.decorator.js';
import { CreatedProxyKeyDto, PatchProxyKeyDto, ProxyKeyDto, ProxyKeyViewDto } from './dto/proxy-key.dto.js';
import { ProxyKeysService } from './proxy-keys.service.js';

@ApiTags('admin: proxy keys')
@ApiBearerAuth()
@Controller('admin/proxy-keys')
export class ProxyKeysController {
  constructor(private readonly keys: ProxyKeysService) {}

  @Get()
  @ApiOkResponse({ type: [ProxyKeyViewDto] })
  list(): Promise<ProxyKeyViewDto[]> {
    return this.keys.list();
  }

  @Post()
  @ApiCreatedResponse({
    type: CreatedProxyKeyDto,
    description: 'The only answer (with rotate) that shows the full key',
  })
  @ApiBadRequestResponse({ description: 'Invalid or unknown fields' })
  create(@Body() body: ProxyKeyDto, @Actor() actor: string): Promise<CreatedProxyKeyDto> {
    return this.keys.create(body, actor);
  }

  @Get(':id')
  @ApiOkResponse({ type: ProxyKeyViewDto })
  @ApiNotFoundResponse()
  get(@Param('id', ParseIntPipe) id: number): Promise<ProxyKeyViewDto> {
    return this.keys.get(id);
  }

  @Put(':id')
  @ApiOkResponse({
    type: ProxyKeyViewDto,
    description: 'Every field replaced; omitted optional fields return to their defaults',
  })
  @ApiNotFoundResponse()
  replace(
    @Param('id', ParseIntPipe) id: number,
    @Body() body: ProxyKeyDto,
    @Actor() actor: string,
  ): Promise<ProxyKeyViewDto> {
    return this.keys.replace(id, body, actor);
  }

  @Patch(':id')
  @ApiOkResponse({
    type: ProxyKeyViewDto,
    description: 'Only the fields sent change; null clears an optional field',
  })
  @ApiNotFoundResponse()
  patch(
    @Param('id', ParseIntPipe) id: number,
    @Body() body: PatchProxyKeyDto,
    @Actor() actor: string,
  ): Promise<ProxyKeyViewDto> {
    return this.keys.patch(id, body, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  remove(@Param('id', ParseIntPipe) id: number, @Actor() actor: string): Promise<void> {
    return this.keys.remove(id, actor);
  }

  @Post(':id/rotate')
  @ApiCreatedResponse({
    type: CreatedProxyKeyDto,
    description: 'A new key; the old one stops working at once',
  })
  @ApiNotFoundResponse()
  rotate(@Param('id', ParseIntPipe) id: number, @Actor() actor: string): Promise<CreatedProxyKeyDto> {
    return this.keys.rotate(id, actor);
  }
}
