import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '@custos/contracts';
import { SessionsService, UsersService, type Principal, type RequestMeta, type UserView } from '@custos/application';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { UserListResponse } from '../http/list-responses';
import { CreateUserDto, RemoveUserQuery, UpdateUserDto, UserResponse } from './accounts.dto';
import { ApiDoc } from '../openapi/operation-docs';

@ApiTags('users')
@Controller('v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {}

  @Post()
  @RequireScopes('custos:users:write')
  @ApiCreatedResponse({ type: UserResponse })
  @ApiDoc({
    summary: 'Add a person to the tenant, with a password you choose (for automation)',
    description:
      'People are better invited (POST /v1/invitations): they choose their own password. A password chosen here follows the password rules ' +
      'and must be changed at the first log-in (the session is restricted to POST /v1/me/password until then). ' +
      'The caller must hold every scope of the role given (SCOPE_ESCALATION otherwise); only an owner gives the owner role (FORBIDDEN).',
    errors: [ErrorCode.SCOPE_ESCALATION, ErrorCode.EMAIL_TAKEN],
    example: { email: 'dev@acme.test', password: 'correct horse battery staple', role: 'viewer' },
  })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto, @Meta() meta: RequestMeta): Promise<UserView> {
    return this.users.create(principal, body, meta);
  }

  @Get()
  @RequireScopes('custos:users:read')
  @ApiOkResponse({ type: UserListResponse })
  @ApiDoc({ summary: 'The people of the tenant' })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: UserView[] }> {
    return { items: await this.users.list(principal) };
  }

  @Patch(':id')
  @RequireScopes('custos:users:write')
  @ApiOkResponse({ type: UserResponse })
  @ApiDoc({
    summary: "Change a person's role",
    description:
      'The caller must hold every scope of the old and the new role; only an owner changes the owner role, and the last owner stays one.',
    errors: [ErrorCode.SCOPE_ESCALATION, ErrorCode.CONFLICT],
    example: { role: 'auditor' },
  })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UpdateUserDto,
    @Meta() meta: RequestMeta,
  ): Promise<UserView> {
    return this.users.changeRole(principal, id, body.role, meta);
  }

  @Delete(':id/sessions')
  @HttpCode(204)
  @RequireScopes('custos:users:write')
  @ApiDoc({
    summary: "End every session of a person",
    description: 'At once (a lost laptop, a departure). The caller must be able to give the person\'s role (only an owner ends an owner\'s sessions).',
    errors: [ErrorCode.SCOPE_ESCALATION, ErrorCode.NOT_FOUND],
  })
  endSessions(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Meta() meta: RequestMeta): Promise<void> {
    return this.sessions.endAllOf(principal, id, meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('custos:users:write')
  @ApiDoc({
    summary: 'Remove a person from the tenant',
    description:
      'The caller must hold every scope of their role; the last owner cannot be removed. The tokens and services the person stewards go to ' +
      '`successor`; without one, removing a steward is refused (409, with the counts) and nothing changes.',
    errors: [ErrorCode.SCOPE_ESCALATION, ErrorCode.CONFLICT],
  })
  remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: RemoveUserQuery, @Meta() meta: RequestMeta): Promise<void> {
    return this.users.remove(principal, id, meta, query.successor);
  }
}
