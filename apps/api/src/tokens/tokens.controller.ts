import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiBearerAuth, ApiOkResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import {
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
import {
  BulkRevokeDto,
  IssueTokenDto,
  IssuedTokenResponse,
  ListTokensQuery,
  PatchTokenDto,
  ResumeTokenDto,
  RevokeTokenDto,
  RotateTokenDto,
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
  ) {}

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
  @ApiOkResponse({ type: [TokenResponse] })
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
  @ApiOkResponse({ type: [TokenResponse], description: 'The rotation chain, oldest first.' })
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
