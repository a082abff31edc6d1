import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthService, type Principal, type RequestMeta, type SessionGrant } from '@custos/application';
import { ErrorCode, ROLE_SCOPES } from '@custos/contracts';
import type { CustosConfig } from '@custos/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthRateLimitGuard } from '../auth/auth-rate-limit.guard';
import { CurrentPrincipal, Meta, type AuthenticatedRequest } from '../auth/auth.decorators';
import { Public } from '../auth/public.decorator';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from '../auth/session-cookie';
import { CUSTOS_CONFIG } from '../infrastructure/config.provider';
import { LoginDto, LogoutDto, SessionProbeResponse, SessionResponse, SignupDto } from './accounts.dto';
import { ApiDoc } from '../openapi/operation-docs';

function sessionBody(grant: SessionGrant): SessionResponse {
  return { user: grant.user, tenant: grant.tenant, csrfToken: grant.csrfToken, scopes: [...ROLE_SCOPES[grant.user.role]] };
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
  @ApiOkResponse({ type: SessionResponse })
  @ApiDoc({
    summary: 'Log in: start a session',
    description:
      'Sets the session cookie and answers the csrfToken to send as X-CSRF-Token on every request that changes something. ' +
      'Wrong passwords are throttled per account and address (429 with Retry-After); an unknown e-mail gets the same answers.',
    errors: [ErrorCode.INVALID_CREDENTIALS, ErrorCode.RATE_LIMITED],
    example: { email: 'owner@acme.test', password: 'correct horse battery staple' },
  })
  async login(
    @Body() body: LoginDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionResponse> {
    const grant = await this.auth.login(body, meta);
    setSessionCookie(reply, this.config, grant.sessionToken, grant.expiresAt);
    return sessionBody(grant);
  }

  @Post('auth/logout')
  @HttpCode(204)
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
      session: { user, tenant, csrfToken: this.auth.csrfTokenFor(sessionToken), scopes: [...principal.scopes] },
    };
  }

  @Get('me')
  @ApiOkResponse({ type: SessionResponse, description: 'For a service key, user is null and tenant is its own.' })
  @ApiDoc({ summary: 'The caller: its user and tenant, or its service key, with its scopes' })
  async me(@CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest) {
    if (principal.kind === 'service_key') {
      return { user: null, serviceKey: { id: principal.id, ownerServiceId: principal.ownerServiceId }, scopes: principal.scopes };
    }
    const { user, tenant } = await this.auth.me(principal);
    return { user, tenant, csrfToken: this.auth.csrfTokenFor(request.sessionToken!), scopes: principal.scopes };
  }
}
