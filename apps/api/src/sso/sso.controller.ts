import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthService, SsoConfigService, SsoSignInService, type Principal, type RequestMeta, type SsoOverview } from '@custos/application';
import { ErrorCode, SSO_CALLBACK_PATH, SSO_LOGIN_PAGE, SSO_TEST_RESULT_PAGE, type SsoError } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import type { CustosConfig } from '@custos/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthRateLimitGuard } from '../auth/auth-rate-limit.guard';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { Public } from '../auth/public.decorator';
import { SESSION_COOKIE, setSessionCookie } from '../auth/session-cookie';
import { CUSTOS_CONFIG } from '../infrastructure/config.provider';
import { ApiDoc } from '../openapi/operation-docs';
import { SsoConfigDto, SsoOverviewResponse, SsoStartQuery } from './sso.dto';

/** Holds the state of a sign-in on its way through the IdP, so only the browser that started it can finish it. */
export const SSO_STATE_COOKIE = 'custos_sso_state';
const SSO_COOKIE_PATH = '/v1/auth/sso';
const SSO_STATE_MAX_AGE_SECONDS = 600;

/** Where people reach the installation: CUSTOS_PUBLIC_URL, or this request's own origin. */
export function publicBaseOf(config: Pick<CustosConfig, 'CUSTOS_PUBLIC_URL'>, request: FastifyRequest): string {
  return config.CUSTOS_PUBLIC_URL ?? `${request.protocol}://${request.host}`;
}

/** A tenant's single sign-on configuration (owners and admins). */
@ApiTags('sso')
@Controller('v1/sso')
export class SsoController {
  constructor(
    private readonly sso: SsoConfigService,
    @Inject(CUSTOS_CONFIG) private readonly config: CustosConfig,
  ) {}

  @Get()
  @RequireScopes('custos:policy:read')
  @ApiOkResponse({ type: SsoOverviewResponse })
  @ApiDoc({
    summary: "The organization's single sign-on: its IdP, the redirect URI to register there, the slug people sign in with",
    description: '`config` is null until SSO is configured. The client secret is never answered (`clientSecretSet: true`).',
  })
  async get(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<SsoOverviewResponse> {
    return this.withUrls(await this.sso.get(principal), request);
  }

  @Put()
  @RequireScopes('custos:policy:write')
  @ApiOkResponse({ type: SsoOverviewResponse })
  @ApiDoc({
    summary: 'Configure single sign-on with an OIDC IdP',
    description:
      "Reads the issuer's OIDC discovery document first: a 400 on `issuer` when that fails, and nothing is saved. Roles in roleMapping and defaultRole may not " +
      'exceed your own. `enforce: true` turns password log-in off for everyone but you, the break-glass owner: only an owner may enforce. ' +
      'Needs a recent MFA check when you have MFA (STEP_UP_REQUIRED). The client secret is sealed and never answered.',
    errors: [ErrorCode.SCOPE_ESCALATION, ErrorCode.STEP_UP_REQUIRED],
    example: {
      issuer: 'https://login.example.com',
      clientId: 'custos',
      clientSecret: 'the client secret the IdP issued',
      roleClaim: 'groups',
      roleMapping: { 'custos-admins': 'admin', 'custos-operators': 'operator' },
      defaultRole: 'viewer',
      enforce: false,
    },
  })
  async put(@CurrentPrincipal() principal: Principal, @Body() body: SsoConfigDto, @Meta() meta: RequestMeta, @Req() request: FastifyRequest): Promise<SsoOverviewResponse> {
    return this.withUrls(await this.sso.put(principal, body, meta), request);
  }

  @Delete()
  @HttpCode(204)
  @RequireScopes('custos:policy:write')
  @ApiDoc({
    summary: 'Remove single sign-on',
    description: 'Password log-in works again for everyone. People created by SSO stay (with a password nobody knows until one is set). Needs a recent MFA check when you have MFA.',
    errors: [ErrorCode.STEP_UP_REQUIRED, ErrorCode.NOT_FOUND],
  })
  async remove(@CurrentPrincipal() principal: Principal, @Meta() meta: RequestMeta): Promise<void> {
    await this.sso.remove(principal, meta);
  }

  private withUrls(overview: SsoOverview, request: FastifyRequest): SsoOverviewResponse {
    const base = publicBaseOf(this.config, request);
    return { ...overview, redirectUri: `${base}${SSO_CALLBACK_PATH}`, startUrl: `${base}/v1/auth/sso/${overview.tenantSlug}/start` };
  }
}

/** The browser's side of SSO: off to the IdP, and back with a session. Answers are redirects, never error pages. */
@ApiTags('auth')
@Controller('v1/auth/sso')
export class SsoAuthController {
  constructor(
    private readonly signIn: SsoSignInService,
    private readonly auth: AuthService,
    @Inject(CUSTOS_CONFIG) private readonly config: CustosConfig,
  ) {}

  @Get(':tenantSlug/start')
  @Public()
  @UseGuards(AuthRateLimitGuard)
  @ApiFoundResponse({ description: "To the IdP's authorization endpoint; to the dashboard's log-in page with `sso_error` when the organization has no SSO." })
  @ApiDoc({
    summary: "Sign in with the organization's IdP (a browser navigation)",
    description:
      'Public: sends the browser to the IdP (authorization code flow with PKCE S256, state and nonce) and sets a short cookie binding the sign-in to this browser. ' +
      '`test=true`: a test sign-in by an owner or admin signed in to this organization; it reports what the IdP sent on the Settings page and creates no one.',
    errors: [ErrorCode.RATE_LIMITED],
    query: { test: 'false' },
  })
  async start(
    @Param('tenantSlug') tenantSlug: string,
    @Query() query: SsoStartQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    let tester: Principal | null = null;
    if (query.test) {
      const sessionToken = request.cookies[SESSION_COOKIE];
      tester = sessionToken ? await this.auth.authenticateSession(sessionToken) : null;
      if (!tester) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'A test sign-in needs an owner or admin signed in to this organization.');
    }
    const redirectUri = `${publicBaseOf(this.config, request)}${SSO_CALLBACK_PATH}`;
    const started = await this.signIn.start(tenantSlug.slice(0, 100), redirectUri, tester);
    if ('error' in started) return this.toLoginPage(reply, started.error);
    void reply.setCookie(SSO_STATE_COOKIE, started.state, {
      httpOnly: true,
      // Lax, not Strict: the IdP's redirect back is a navigation from another site, and must bring the cookie.
      sameSite: 'lax',
      secure: this.config.CUSTOS_COOKIE_SECURE ?? this.config.NODE_ENV === 'production',
      path: SSO_COOKIE_PATH,
      maxAge: SSO_STATE_MAX_AGE_SECONDS,
    });
    void reply.header('cache-control', 'no-store').redirect(started.authorizationUrl, 302);
  }

  @Get('callback')
  @Public()
  @UseGuards(AuthRateLimitGuard)
  @ApiFoundResponse({ description: 'To the dashboard, signed in; to its log-in page with `sso_error` when the sign-in failed; to Settings after a test sign-in.' })
  @ApiDoc({
    summary: 'Where the IdP sends the browser back (the redirect URI to register)',
    description:
      'Public: takes the sign-in\'s state once (it must match this browser\'s cookie, within ten minutes), exchanges the code, checks the ID token (signature, issuer, audience, nonce) ' +
      'and signs in the person with that e-mail in the organization, created on their first sign-in with the mapped role. Every failure is a redirect with an error code, never an error page.',
  })
  async callback(@Req() request: FastifyRequest, @Meta() meta: RequestMeta, @Res() reply: FastifyReply): Promise<void> {
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    const state = new URLSearchParams(query).get('state');
    void reply.clearCookie(SSO_STATE_COOKIE, { path: SSO_COOKIE_PATH });
    const outcome = await this.signIn.callback(
      { callbackQuery: query, state, cookieState: request.cookies[SSO_STATE_COOKIE] ?? null, redirectUri: `${publicBaseOf(this.config, request)}${SSO_CALLBACK_PATH}` },
      meta,
    );
    void reply.header('cache-control', 'no-store');
    switch (outcome.kind) {
      case 'session':
        setSessionCookie(reply, this.config, outcome.grant.sessionToken, outcome.grant.expiresAt);
        return void reply.redirect('/', 302);
      case 'test':
        return void reply.redirect(`${SSO_TEST_RESULT_PAGE}?sso_test=${outcome.outcome.ok ? 'ok' : 'failed'}`, 302);
      case 'error':
        return this.toLoginPage(reply, outcome.error);
    }
  }

  private toLoginPage(reply: FastifyReply, error: SsoError): void {
    void reply.header('cache-control', 'no-store').redirect(`${SSO_LOGIN_PAGE}?sso_error=${error}`, 302);
  }
}
