import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiCookieAuth, ApiBearerAuth, ApiOkResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import type { FastifyRequest } from 'fastify';
import {
  SuccessorPickup,
  type SuccessorHandover,
  TokenEditor,
  TokenIssuer,
  TokenLifecycle,
  TokenQuery,
  type IssuedToken,
  type Page,
  type Principal,
  type RequestMeta,
  type TokenView,
} from '@custos/application';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { Public } from '../auth/public.decorator';
import { TokenListResponse } from '../http/list-responses';
import {
  BulkRevokeDto,
  IssueTokenDto,
  IssuedTokenResponse,
  ListTokensQuery,
  PatchTokenDto,
  ResumeTokenDto,
  RevokeTokenDto,
  RotateTokenDto,
  SuccessorHandoverResponse,
  SuspendTokenDto,
  TokenPageResponse,
  TokenResponse,
} from './token.dto';

@ApiTags('tokens')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('v1/tokens')
export class TokensController {
  constructor(
    private readonly issuer: TokenIssuer,
    private readonly query: TokenQuery,
    private readonly editor: TokenEditor,
    private readonly lifecycle: TokenLifecycle,
    private readonly successors: SuccessorPickup,
  ) {}

  /**
   * A service fetches, once, the successor of its token that the worker rotated on schedule. The
   * credential is the old token itself, during its grace period; no Custos scope is needed.
   */
  @Post('self/successor')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Fetch the successor of a token rotated on schedule (authenticated by the old token)' })
  @ApiOkResponse({ type: SuccessorHandoverResponse })
  fetchSuccessor(@Req() request: FastifyRequest, @Meta() meta: RequestMeta): Promise<SuccessorHandover> {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Send the old token as `Authorization: Bearer <token>`.');
    return this.successors.fetch(match[1]!, meta);
  }

  @Post()
  @RequireScopes('custos:tokens:issue')
  @ApiCreatedResponse({ type: IssuedTokenResponse, description: 'The secret is in this answer only.' })
  issue(@CurrentPrincipal() principal: Principal, @Body() body: IssueTokenDto, @Meta() meta: RequestMeta): Promise<IssuedToken> {
    return this.issuer.issue(principal, body, meta);
  }

  @Get()
  @RequireScopes('custos:tokens:read')
  @ApiOkResponse({ type: TokenPageResponse })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListTokensQuery): Promise<Page<TokenView>> {
    return this.query.list(principal, { ...query, limit: query.limit ?? 50 });
  }

  /** Bulk revoke: all or nothing. Declared before the :id routes so "revoke" is never taken for an id. */
  @Post('revoke')
  @HttpCode(200)
  @RequireScopes('custos:tokens:revoke')
  @ApiOkResponse({ type: TokenListResponse })
  async revokeMany(
    @CurrentPrincipal() principal: Principal,
    @Body() body: BulkRevokeDto,
    @Meta() meta: RequestMeta,
  ): Promise<{ items: TokenView[] }> {
    return { items: await this.lifecycle.revokeMany(principal, body.ids, body.reason, meta) };
  }

  @Get(':id')
  @RequireScopes('custos:tokens:read')
  @ApiOkResponse({ type: TokenResponse })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<TokenView> {
    return this.query.get(principal, id);
  }

  @Get(':id/lineage')
  @RequireScopes('custos:tokens:read')
  @ApiOkResponse({ type: TokenListResponse, description: 'The rotation chain, oldest first.' })
  async lineage(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<{ items: TokenView[] }> {
    return { items: await this.query.lineage(principal, id) };
  }

  @Patch(':id')
  @RequireScopes('custos:tokens:update')
  @ApiOkResponse({ type: TokenResponse })
  patch(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: PatchTokenDto,
    @Meta() meta: RequestMeta,
  ): Promise<TokenView> {
    return this.editor.patch(principal, id, body, meta);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @RequireScopes('custos:tokens:revoke')
  @ApiOkResponse({ type: TokenResponse })
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: RevokeTokenDto,
    @Meta() meta: RequestMeta,
  ): Promise<TokenView> {
    return this.lifecycle.revoke(principal, id, body.reason, meta);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @RequireScopes('custos:tokens:update')
  @ApiOkResponse({ type: TokenResponse })
  suspend(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: SuspendTokenDto,
    @Meta() meta: RequestMeta,
  ): Promise<TokenView> {
    return this.lifecycle.suspend(principal, id, meta, body.reason);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @RequireScopes('custos:tokens:update')
  @ApiOkResponse({ type: TokenResponse })
  resume(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() _body: ResumeTokenDto,
    @Meta() meta: RequestMeta,
  ): Promise<TokenView> {
    return this.lifecycle.resume(principal, id, meta);
  }

  @Post(':id/rotate')
  @RequireScopes('custos:tokens:rotate')
  @ApiCreatedResponse({ type: IssuedTokenResponse, description: 'The successor and its secret, shown once.' })
  async rotate(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: RotateTokenDto,
    @Meta() meta: RequestMeta,
  ): Promise<IssuedToken & { predecessor: TokenView }> {
    return this.issuer.rotate(principal, id, body, meta);
  }
}
