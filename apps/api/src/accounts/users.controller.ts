import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UsersService, type Principal, type RequestMeta, type UserView } from '@custos/application';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { UserListResponse } from '../http/list-responses';
import { CreateUserDto, UpdateUserDto, UserResponse } from './accounts.dto';

@ApiTags('users')
@ApiCookieAuth()
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @RequireScopes('custos:users:write')
  @ApiCreatedResponse({ type: UserResponse })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto, @Meta() meta: RequestMeta): Promise<UserView> {
    return this.users.create(principal, body, meta);
  }

  @Get()
  @RequireScopes('custos:users:read')
  @ApiOkResponse({ type: UserListResponse })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: UserView[] }> {
    return { items: await this.users.list(principal) };
  }

  @Patch(':id')
  @RequireScopes('custos:users:write')
  @ApiOkResponse({ type: UserResponse })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UpdateUserDto,
    @Meta() meta: RequestMeta,
  ): Promise<UserView> {
    return this.users.changeRole(principal, id, body.role, meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('custos:users:write')
  remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Meta() meta: RequestMeta): Promise<void> {
    return this.users.remove(principal, id, meta);
  }
}
