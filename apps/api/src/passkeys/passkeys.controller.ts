import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Res, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  AuthService,
  PasskeysService,
  type AuthenticationResponseJSON,
  type PasskeyView,
  type Principal,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  type RequestMeta,
  type StepUpView,
} from '@custos/application';
import { ErrorCode } from '@custos/contracts';
import type { CustosConfig } from '@custos/runtime';
import type { FastifyReply } from 'fastify';
import { sessionBody } from '../accounts/auth.controller';
import { SessionResponse } from '../accounts/accounts.dto';
import { StepUpResponse } from '../accounts/security.dto';
import { AuthRateLimitGuard } from '../auth/auth-rate-limit.guard';
import { CurrentPrincipal, Meta } from '../auth/auth.decorators';
import { Public } from '../auth/public.decorator';
import { AllowedWhileRestricted } from '../auth/restricted.decorator';
import { setSessionCookie } from '../auth/session-cookie';
import { CUSTOS_CONFIG } from '../infrastructure/config.provider';
import { ApiDoc } from '../openapi/operation-docs';
import {
  MfaTokenDto,
  PasskeyAssertionDto,
  PasskeyCreationOptionsResponse,
  PasskeyListResponse,
  PasskeyNameDto,
  PasskeyRequestOptionsResponse,
  PasskeyResponse,
  RegisterPasskeyDto,
  WebauthnLoginDto,
} from './passkeys.dto';

/** Examples of the browser's answers (the shapes @simplewebauthn/browser sends; real ones are signed for a fresh challenge). */
const REGISTRATION_EXAMPLE = {
  id: 'dGVzdC1jcmVkZW50aWFsLWlk',
  rawId: 'dGVzdC1jcmVkZW50aWFsLWlk',
  type: 'public-key',
  response: { clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0', attestationObject: 'o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YQ', transports: ['internal'] },
  clientExtensionResults: {},
  authenticatorAttachment: 'platform',
};
const ASSERTION_EXAMPLE = {
  id: 'dGVzdC1jcmVkZW50aWFsLWlk',
  rawId: 'dGVzdC1jcmVkZW50aWFsLWlk',
  type: 'public-key',
  response: { clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0', authenticatorData: 'SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MFAAAAAQ', signature: 'MEUCIQDexample' },
  clientExtensionResults: {},
  authenticatorAttachment: 'platform',
};

// The DTOs mirror @simplewebauthn's JSON types field by field; the library checks every byte of them.
const asRegistration = (dto: RegisterPasskeyDto['response']): RegistrationResponseJSON => dto as RegistrationResponseJSON;
const asAssertion = (dto: PasskeyAssertionDto['response']): AuthenticationResponseJSON => dto as AuthenticationResponseJSON;

/** A person's passkeys (docs/authentication.md#passkeys): register, list, rename, remove. Cookie sessions only. */
@ApiTags('passkeys')
@Controller('v1/me/passkeys')
export class PasskeysController {
  constructor(private readonly passkeys: PasskeysService) {}

  @Post('registration-options')
  @HttpCode(200)
  @AllowedWhileRestricted('mfa_enrolment')
  @ApiOkResponse({ type: PasskeyCreationOptionsResponse })
  @ApiDoc({
    summary: 'Start registering a passkey: options for the browser',
    description:
      "PublicKeyCredentialCreationOptionsJSON for startRegistration() of @simplewebauthn/browser, leaving out the person's passkeys. " +
      'The session waits two minutes for the answer (POST /v1/me/passkeys). A person who has MFA already needs a recent MFA check (step-up). ' +
      'A session owed MFA enrolment may call it.',
    errors: [ErrorCode.STEP_UP_REQUIRED],
  })
  registrationOptions(@CurrentPrincipal() principal: Principal): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return this.passkeys.registrationOptions(principal);
  }

  @Post()
  @AllowedWhileRestricted('mfa_enrolment')
  @ApiCreatedResponse({ type: PasskeyResponse })
  @ApiDoc({
    summary: 'Register a passkey',
    description:
      'Checks the browser\'s answer against the challenge of the session\'s registration options (used once, right or wrong), the origin and the relying party, ' +
      'and stores the passkey\'s public key under the given name. From then on the person has MFA: a log-in asks for it, and a session owed MFA enrolment is free. ' +
      'Audited (mfa.enabled, method webauthn).',
    errors: [ErrorCode.STEP_UP_REQUIRED, ErrorCode.CONFLICT],
    example: { name: 'Work laptop', response: REGISTRATION_EXAMPLE },
  })
  register(@CurrentPrincipal() principal: Principal, @Body() body: RegisterPasskeyDto, @Meta() meta: RequestMeta): Promise<PasskeyView> {
    return this.passkeys.register(principal, { name: body.name, response: asRegistration(body.response) }, meta);
  }

  @Get()
  @AllowedWhileRestricted('mfa_enrolment')
  @ApiOkResponse({ type: PasskeyListResponse })
  @ApiDoc({ summary: "The caller's passkeys, oldest first" })
  async list(@CurrentPrincipal() principal: Principal): Promise<PasskeyListResponse> {
    return { items: await this.passkeys.list(principal) };
  }

  @Patch(':id')
  @ApiOkResponse({ type: PasskeyResponse })
  @ApiDoc({ summary: 'Rename one of the caller\'s passkeys', description: 'Audited (mfa.passkey_renamed).', example: { name: 'Work laptop' } })
  rename(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: PasskeyNameDto, @Meta() meta: RequestMeta): Promise<PasskeyView> {
    return this.passkeys.rename(principal, id, body.name, meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiDoc({
    summary: 'Remove one of the caller\'s passkeys',
    description: 'Needs a recent MFA check (step-up). Audited (mfa.disabled, method webauthn).',
    errors: [ErrorCode.STEP_UP_REQUIRED],
  })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Meta() meta: RequestMeta): Promise<void> {
    await this.passkeys.remove(principal, id, meta);
  }
}

/** Passkeys as the second factor of a log-in and for step-up. */
@ApiTags('auth')
@Controller('v1/auth')
export class PasskeyAuthController {
  constructor(
    private readonly passkeys: PasskeysService,
    private readonly auth: AuthService,
    @Inject(CUSTOS_CONFIG) private readonly config: CustosConfig,
  ) {}

  @Post('mfa/webauthn/options')
  @Public()
  @HttpCode(200)
  @UseGuards(AuthRateLimitGuard)
  @ApiOkResponse({ type: PasskeyRequestOptionsResponse })
  @ApiDoc({
    summary: "Options for a log-in's second factor by passkey",
    description:
      "PublicKeyCredentialRequestOptionsJSON for startAuthentication() of @simplewebauthn/browser, allowing the person's passkeys; " +
      'the challenge waits on the log-in (its mfaToken) and replaces any it had.',
    errors: [ErrorCode.INVALID_MFA],
    example: { mfaToken: 'cmfa_…' },
  })
  loginOptions(@Body() body: MfaTokenDto): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.passkeys.loginOptions(body.mfaToken);
  }

  @Post('mfa/webauthn')
  @Public()
  @HttpCode(200)
  @UseGuards(AuthRateLimitGuard)
  @ApiOkResponse({ type: SessionResponse })
  @ApiDoc({
    summary: 'Complete a log-in with a passkey',
    description:
      "Takes the log-in's mfaToken and the browser's answer to POST /v1/auth/mfa/webauthn/options, and starts the session as POST /v1/auth/mfa does. " +
      "The passkey's signature counter must not go back (a cloned authenticator). A wrong answer counts like a wrong code: toward the log-in throttle, " +
      'five per log-in, audited (auth.mfa_failed).',
    errors: [ErrorCode.INVALID_MFA, ErrorCode.RATE_LIMITED],
    example: { mfaToken: 'cmfa_…', response: ASSERTION_EXAMPLE },
  })
  async login(@Body() body: WebauthnLoginDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionResponse> {
    const grant = await this.auth.completeMfa({ mfaToken: body.mfaToken, webauthn: asAssertion(body.response) }, meta);
    setSessionCookie(reply, this.config, grant.sessionToken, grant.expiresAt);
    return sessionBody(grant);
  }

  @Post('step-up/webauthn/options')
  @HttpCode(200)
  @ApiOkResponse({ type: PasskeyRequestOptionsResponse })
  @ApiDoc({
    summary: 'Options for a step-up by passkey',
    description: "For a person with a passkey; the session waits two minutes for the answer (POST /v1/auth/step-up/webauthn). 409 when they have none.",
    errors: [ErrorCode.CONFLICT],
  })
  stepUpOptions(@CurrentPrincipal() principal: Principal): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.passkeys.stepUpOptions(principal);
  }

  @Post('step-up/webauthn')
  @HttpCode(200)
  @ApiOkResponse({ type: StepUpResponse })
  @ApiDoc({
    summary: 'Step up with a passkey',
    description:
      "Renews the session's MFA check, as POST /v1/auth/step-up does with a code, from the browser's answer to the step-up options (used once, right or wrong). " +
      'Audited (auth.step_up, method webauthn; a wrong answer auth.mfa_failed).',
    errors: [ErrorCode.INVALID_MFA],
    example: { response: ASSERTION_EXAMPLE },
  })
  stepUp(@CurrentPrincipal() principal: Principal, @Body() body: PasskeyAssertionDto, @Meta() meta: RequestMeta): Promise<StepUpView> {
    return this.passkeys.stepUp(principal, asAssertion(body.response), meta);
  }
}
