import { Body, Controller, Get, HttpCode, Ip, Post, Put, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { AdminPrincipal } from './admin-principal.js';
import { AdminUsersService } from './admin-users.service.js';
import { AuthService } from './auth.service.js';
import { AdminMeDto, ChangePasswordDto, LoginDto, TokenDto } from './dto/login.dto.js';
import { Public } from './public.decorator.js';
import { AdminError } from '../common/admin-error.js';

@ApiTags('admin: auth')
@Controller('admin/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: AdminUsersService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenDto })
  @ApiUnauthorizedResponse({ description: 'Wrong username or password' })
  @ApiTooManyRequestsResponse({
    description:
      'Too many failed attempts for this username from this address, or from this address; see Retry-After',
  })
  @ApiServiceUnavailableResponse({ description: 'Too many logins in progress; see Retry-After' })
  login(@Body() body: LoginDto, @Ip() ip: string): Promise<TokenDto> {
    return this.auth.login(body.username, body.password, ip);
  }

  @Put('password')
  @ApiBearerAuth()
  @ApiOkResponse({ type: TokenDto, description: 'A fresh token; every token issued before now answers 401' })
  @ApiBadRequestResponse({ description: 'newPassword too short, too long or unchanged' })
  @ApiForbiddenResponse({ description: 'currentPassword is wrong' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong current passwords; see Retry-After' })
  changePassword(
    @Body() body: ChangePasswordDto,
    @Req() req: Request & { admin: AdminPrincipal },
    @Ip() ip: string,
  ): Promise<TokenDto> {
    return this.auth.changePassword(req.admin, body.currentPassword, body.newPassword, ip);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: AdminMeDto })
  async me(@Req() req: Request & { admin: AdminPrincipal }): Promise<AdminMeDto> {
    const user = await this.users.findById(req.admin.sub);
    if (!user) throw new AdminError('not_found', 'Admin user no longer exists');
    return { id: user.id, username: user.username };
  }
}
