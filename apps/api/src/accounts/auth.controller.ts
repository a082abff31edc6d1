import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthService, type Principal, type RequestMeta, type SessionGrant } from '@custos/application';
import { ErrorCode, ROLE_SCOPES } from '@custos/contracts';
import type { CustosConfig } from '@custos/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthRateLimitGuard } from '../auth/auth-rate-limit.guard';
import { CurrentPrincipal, Meta, type AuthenticatedRequest } from '../auth/auth.decorators';
import { Public } from '../auth/public.decorator';
import { AllowedWhileRestricted } from '../auth/restricted.decorator';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from '../auth/session-cookie';
import { CUSTOS_CONFIG } from '../infrastructure/config.provider';
import { LoginDto, LoginResponse, LogoutDto, MfaLoginDto, SessionProbeResponse, SessionResponse, SignupDto } from './accounts.dto';
import { ApiDoc } from '../openapi/operation-docs';

/** The body of an answer that starts a session (log-in, its second factor). */
export function sessionBody(grant: SessionGrant): SessionResponse {
  return { user: grant.user, tenant: grant.tenant, csrfToken: grant.csrfToken, scopes: [...ROLE_SCOPES[grant.user.role]], restriction: grant.restriction };
}

@ApiTags('auth')
@Controller('v1')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(CUSTOS_CONFIG) private readonly config: CustosConfig,
  ) {}

  @Post('signup')
  @Public()
  @UseGuards(AuthRateLimitGuard)
  @ApiCreatedResponse({ type: SessionResponse, description: 'Creates the organisation and its owner, signed in.' })
  @ApiDoc({
    summary: 'Create an organisation and its owner, signed in',
    description:
      'Answers as log-in does and sets the session cookie (HttpOnly, SameSite=Strict). Requests are rate limited per client address.',
    errors: [ErrorCode.EMAIL_TAKEN, ErrorCode.RATE_LIMITED],
    example: { organization: 'Acme Corp', email: 'owner@acme.test', password: 'correct horse battery staple' },
  })
  async signup(
    @Body() body: SignupDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionResponse> {
    const grant = await this.auth.signup(body, meta);
    setSessionCookie(reply, this.config, grant.sessionToken, grant.expiresAt);
    return sessionBody(grant);
  }

  @Post('auth/login')
  @Public()
  @HttpCode(200)
  @UseGuards(AuthRateLimitGuard)
  @ApiOkResponse({ type: LoginResponse })
  @ApiDoc({
    summary: 'Log in: start a session, or learn which second factor to give',
    description:
      'Without MFA: sets the session cookie and answers the csrfToken to send as X-CSRF-Token on every request that changes something. ' +
      'With MFA: answers `{ mfaRequired: true, mfaToken, methods }` and no session; POST /v1/auth/mfa completes the log-in. ' +
      'Wrong passwords are throttled per account and address (429 with Retry-After); an unknown e-mail gets the same answers.',
    errors: [ErrorCode.INVALID_CREDENTIALS, ErrorCode.RATE_LIMITED],
    example: { email: 'owner@acme.test', password: 'correct horse battery staple' },
  })
  async login(
    @Body() body: LoginDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    const outcome = await this.auth.login(body, meta);
    if ('mfa' in outcome) {
      const { mfaToken, methods, expiresAt } = outcome.mfa;
      return { mfaRequired: true, mfaToken, methods, expiresAt: expiresAt.toISOString() };
    }
    setSessionCookie(reply, this.config, outcome.session.sessionToken, outcome.session.expiresAt);
    return { mfaRequired: false, ...sessionBody(outcome.session) };
  }

  @Post('auth/mfa')
  @Public()
  @HttpCode(200)
  @UseGuards(AuthRateLimitGuard)
  @ApiOkResponse({ type: SessionResponse })
  @ApiDoc({
    summary: 'Complete a log-in with its second factor',
    description:
      'Takes the mfaToken of the log-in and a TOTP code (each code is good once) or an unused recovery code, and starts the session as log-in does. ' +
      'Wrong codes count toward the same throttle as wrong passwords; after five, log in again.',
    errors: [ErrorCode.INVALID_MFA, ErrorCode.RATE_LIMITED],
    example: { mfaToken: 'cmfa_…', code: '123456' },
  })
  async mfa(@Body() body: MfaLoginDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionResponse> {
    const grant = await this.auth.completeMfa(body, meta);
    setSessionCookie(reply, this.config, grant.sessionToken, grant.expiresAt);
    return sessionBody(grant);
  }

  @Post('auth/logout')
  @HttpCode(204)
  @AllowedWhileRestricted('mfa_enrolment', 'password_change')
  @ApiDoc({
    summary: "Log out: end the caller's session",
    description: 'Clears the session cookie. A service key has no session: nothing changes.',
    example: {},
  })
  async logout(
    @CurrentPrincipal() principal: Principal,
    @Body() _body: LogoutDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(principal, meta);
    clearSessionCookie(reply, this.config);
  }

  @Get('auth/session')
  @Public()
  @ApiOkResponse({
    type: SessionProbeResponse,
    description:
      'The cookie session of the caller, or authenticated: false when there is none or it has ended: ' +
      'never 401, so a browser has nothing to report before log-in. Service keys use GET /v1/me.',
  })
  @ApiDoc({
    summary: 'Who is signed in, if anyone (the dashboard probe)',
    description: 'Never 401: `authenticated: false` before log-in or after the session ended. Cookie sessions only; a service key asks GET /v1/me.',
  })
  async session(@Req() request: FastifyRequest): Promise<SessionProbeResponse> {
    const sessionToken = request.cookies[SESSION_COOKIE];
    const principal = sessionToken ? await this.auth.authenticateSession(sessionToken) : null;
    if (!sessionToken || !principal) return { authenticated: false, session: null };
    const { user, tenant } = await this.auth.me(principal);
    return {
      authenticated: true,
      session: { user, tenant, csrfToken: this.auth.csrfTokenFor(sessionToken), scopes: [...principal.scopes], restriction: principal.session?.restriction ?? null },
    };
  }

  @Get('me')
  @AllowedWhileRestricted('mfa_enrolment', 'password_change')
  @ApiOkResponse({ type: SessionResponse, description: 'For a service key, user is null and tenant is its own.' })
  @ApiDoc({ summary: 'The caller: its user and tenant, or its service key, with its scopes' })
  async me(@CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest) {
    if (principal.kind === 'service_key') {
      return { user: null, serviceKey: { id: principal.id, ownerServiceId: principal.ownerServiceId }, scopes: principal.scopes };
    }
    const { user, tenant } = await this.auth.me(principal);
    return { user, tenant, csrfToken: this.auth.csrfTokenFor(request.sessionToken!), scopes: principal.scopes, restriction: principal.session?.restriction ?? null };
  }
}
