import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
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
  type Rotation,
  type Page,
  type Principal,
  type RequestMeta,
  type TokenView,
} from '@custos/application';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { Public } from '../auth/public.decorator';
import { TokenListResponse } from '../http/list-responses';
import { ApiDoc } from '../openapi/operation-docs';
import {
  BulkRevokeDto,
  IssueTokenDto,
  IssuedTokenResponse,
  RotationResponse,
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
  @ApiBearerAuth()
  @ApiDoc({
    summary: 'Fetch the successor of a token rotated on schedule (authenticated by the old token)',
    description:
      'Send the old token as `Authorization: Bearer <token>` during its grace period. Once: a second fetch answers 410. ' +
      'A token not in a grace period, or rotated by a person (who got the secret in the answer), answers 404.',
    errors: [ErrorCode.UNAUTHENTICATED, ErrorCode.NOT_FOUND, ErrorCode.ALREADY_FETCHED],
  })
  @ApiOkResponse({ type: SuccessorHandoverResponse })
  fetchSuccessor(@Req() request: FastifyRequest, @Meta() meta: RequestMeta): Promise<SuccessorHandover> {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Send the old token as `Authorization: Bearer <token>`.');
    return this.successors.fetch(match[1]!, meta);
  }

  @Post()
  @RequireScopes('custos:tokens:issue')
  @ApiDoc({
    summary: 'Issue a token',
    description:
      'Give exactly one of expiresAt and expiresInSeconds; the lifetime is capped by the tenant policy. A token owned by a service ' +
      "(ownerServiceId) may only carry scopes in the service's allowedScopes; custos: scopes only those the caller holds. " +
      "Data categories in the policy's requireConsentFor need a consentId in force. The secret is in this answer only.",
    errors: [ErrorCode.SCOPE_ESCALATION, ErrorCode.LIFETIME_EXCEEDS_POLICY, ErrorCode.CONSENT_REQUIRED, ErrorCode.CONSENT_INACTIVE],
    example: {
      name: 'orders-service production',
      scopes: ['orders:read', 'orders:write'],
      expiresInSeconds: 2592000,
      environment: 'live',
      metadata: { team: 'orders' },
    },
  })
  @ApiCreatedResponse({ type: IssuedTokenResponse, description: 'The secret is in this answer only.' })
  issue(@CurrentPrincipal() principal: Principal, @Body() body: IssueTokenDto, @Meta() meta: RequestMeta): Promise<IssuedToken> {
    return this.issuer.issue(principal, body, meta);
  }

  @Get()
  @RequireScopes('custos:tokens:read')
  @ApiDoc({
    summary: 'List tokens, newest first',
    description: 'Filters combine; `q` is a prefix of the name (any case) or of the lookup id, or a pasted token. Keyset-paged: pass nextCursor as cursor.',
    query: { status: 'active,rotating', environment: 'live', limit: 20 },
  })
  @ApiOkResponse({ type: TokenPageResponse })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListTokensQuery): Promise<Page<TokenView>> {
    return this.query.list(principal, { ...query, limit: query.limit ?? 50 });
  }

  /** Bulk revoke: all or nothing. Declared before the :id routes so "revoke" is never taken for an id. */
  @Post('revoke')
  @HttpCode(200)
  @RequireScopes('custos:tokens:revoke')
  @ApiDoc({
    summary: 'Revoke many tokens at once, all or nothing',
    description: 'Up to 1000 ids. If any is not found or cannot be revoked, nothing is revoked and the answer names them.',
    errors: [ErrorCode.NOT_FOUND, ErrorCode.INVALID_TRANSITION],
    example: { ids: ['tok_0Lq3eV1a8dX2m9pQ4rT7sW'], reason: 'leaked in a build log' },
  })
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
  @ApiDoc({ summary: 'Get a token', description: 'Never its secret or hash.' })
  @ApiOkResponse({ type: TokenResponse })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<TokenView> {
    return this.query.get(principal, id);
  }

  @Get(':id/lineage')
  @RequireScopes('custos:tokens:read')
  @ApiDoc({ summary: "A token's rotation chain, oldest first" })
  @ApiOkResponse({ type: TokenListResponse, description: 'The rotation chain, oldest first.' })
  async lineage(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<{ items: TokenView[] }> {
    return { items: await this.query.lineage(principal, id) };
  }

  @Patch(':id')
  @RequireScopes('custos:tokens:update')
  @ApiDoc({
    summary: "Change a token's name, metadata, scopes or allowed CIDRs",
    description:
      'Scopes may only narrow. allowedCidrs may only narrow too, unless a signed-in owner or admin widens them. Every change is audited with before and after.',
    errors: [ErrorCode.SCOPE_ESCALATION],
    example: { name: 'orders-service production (EU)', metadata: { team: 'orders', region: 'eu' } },
  })
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
  @ApiDoc({
    summary: 'Revoke a token',
    description: 'Final: a revoked token never works again. Verify answers REVOKED on every instance as soon as this answers.',
    errors: [ErrorCode.INVALID_TRANSITION],
    example: { reason: 'leaked in a build log' },
  })
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
  @ApiDoc({
    summary: 'Suspend a token',
    description: 'It answers SUSPENDED until resumed.',
    errors: [ErrorCode.INVALID_TRANSITION],
    example: { reason: 'paused while the orders team investigates' },
  })
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
  @ApiDoc({
    summary: 'Resume a suspended token',
    description: 'Resuming a service key brings its permissions back, so the caller must hold every custos scope on it.',
    errors: [ErrorCode.INVALID_TRANSITION, ErrorCode.SCOPE_ESCALATION],
    example: {},
  })
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
  @ApiDoc({
    summary: 'Rotate a token: a successor now, the old one working through a grace period',
    description:
      "The old token becomes rotating and works until min(now + grace, its own expiry). The successor's secret is in this answer only. " +
      'Rotation re-checks the scope rules of issuing, and a token bound to a consent no longer in force cannot rotate.',
    errors: [ErrorCode.INVALID_TRANSITION, ErrorCode.SCOPE_ESCALATION, ErrorCode.CONSENT_INACTIVE],
    example: { gracePeriodSeconds: 3600 },
  })
  @ApiCreatedResponse({ type: RotationResponse, description: 'The successor and its secret, shown once, and the old token in its grace period.' })
  async rotate(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: RotateTokenDto,
    @Meta() meta: RequestMeta,
  ): Promise<Rotation> {
    return this.issuer.rotate(principal, id, body, meta);
  }
}
