import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InvitationsService, type CreatedInvitation, type InvitationPreview, type InvitationView, type Principal, type RequestMeta } from '@custos/application';
import { ErrorCode, ROLE_SCOPES } from '@custos/contracts';
import type { CustosConfig } from '@custos/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthRateLimitGuard } from '../auth/auth-rate-limit.guard';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { Public } from '../auth/public.decorator';
import { setSessionCookie } from '../auth/session-cookie';
import { CUSTOS_CONFIG } from '../infrastructure/config.provider';
import { SessionResponse } from '../accounts/accounts.dto';
import { ApiDoc } from '../openapi/operation-docs';
import {
  AcceptInvitationDto,
  CreatedInvitationResponse,
  CreateInvitationDto,
  InvitationListResponse,
  InvitationPreviewResponse,
} from './invitations.dto';

@ApiTags('users')
@Controller('v1/invitations')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    @Inject(CUSTOS_CONFIG) private readonly config: CustosConfig,
  ) {}

  @Post()
  @RequireScopes('custos:users:write')
  @ApiCreatedResponse({ type: CreatedInvitationResponse })
  @ApiDoc({
    summary: 'Invite a person to the tenant with a role',
    description:
      'Answers a one-time link to the dashboard\'s accept page, valid 72 hours and shown this once; it is also e-mailed when SMTP_URL is set. ' +
      'The caller must hold every scope of the role (SCOPE_ESCALATION otherwise); only an owner invites an owner (FORBIDDEN). ' +
      'A new invitation for an e-mail still invited revokes the earlier one; an e-mail that already has an account answers EMAIL_TAKEN.',
    errors: [ErrorCode.SCOPE_ESCALATION, ErrorCode.EMAIL_TAKEN],
    example: { email: 'new.colleague@acme.test', role: 'viewer' },
  })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateInvitationDto,
    @Meta() meta: RequestMeta,
    @Req() request: FastifyRequest,
  ): Promise<CreatedInvitation> {
    return this.invitations.create(principal, body, meta, this.config.CUSTOS_PUBLIC_URL ?? `${request.protocol}://${request.host}`);
  }

  @Get()
  @RequireScopes('custos:users:read')
  @ApiOkResponse({ type: InvitationListResponse })
  @ApiDoc({ summary: 'The invitations waiting for an answer', description: 'Newest first; accepted, revoked and expired ones are not listed. Never the links.' })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: InvitationView[] }> {
    return { items: await this.invitations.list(principal) };
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('custos:users:write')
  @ApiDoc({
    summary: 'Revoke an invitation',
    description: 'Its link stops working at once. The caller must hold every scope of the invited role.',
    errors: [ErrorCode.SCOPE_ESCALATION],
  })
  revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Meta() meta: RequestMeta): Promise<void> {
    return this.invitations.revoke(principal, id, meta);
  }

  @Get(':token')
  @Public()
  @UseGuards(AuthRateLimitGuard)
  @ApiOkResponse({ type: InvitationPreviewResponse })
  @ApiDoc({
    summary: 'What an invitation link invites to (the accept page)',
    description:
      'The e-mail, role and organisation of a pending invitation. An unknown, expired, revoked or used link answers 404 alike. ' +
      'Requests are rate limited per client address.',
    errors: [ErrorCode.NOT_FOUND, ErrorCode.RATE_LIMITED],
  })
  preview(@Param('token') token: string): Promise<InvitationPreview> {
    return this.invitations.preview(token);
  }

  @Post(':token/accept')
  @Public()
  @HttpCode(200)
  @UseGuards(AuthRateLimitGuard)
  @ApiOkResponse({ type: SessionResponse, description: 'The new account, signed in: answers as log-in does and sets the session cookie.' })
  @ApiDoc({
    summary: 'Accept an invitation: choose a password, and be signed in',
    description:
      'Creates the account with the invited role and signs it in. A link works once: accepting again, or after it expired or was revoked, answers 404. ' +
      'The password must meet the password rules (400 VALIDATION_FAILED naming `password`). Requests are rate limited per client address.',
    errors: [ErrorCode.NOT_FOUND, ErrorCode.EMAIL_TAKEN, ErrorCode.RATE_LIMITED],
    example: { password: 'correct horse battery staple' },
  })
  async accept(
    @Param('token') token: string,
    @Body() body: AcceptInvitationDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionResponse> {
    const grant = await this.invitations.accept(token, body, meta);
    setSessionCookie(reply, this.config, grant.sessionToken, grant.expiresAt);
    return { user: grant.user, tenant: grant.tenant, csrfToken: grant.csrfToken, scopes: [...ROLE_SCOPES[grant.user.role]], restriction: grant.restriction };
  }
}
