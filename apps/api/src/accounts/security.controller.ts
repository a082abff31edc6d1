import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MfaService, SessionsService, type MfaStatus, type Principal, type RequestMeta } from '@custos/application';
import { ErrorCode } from '@custos/contracts';
import { CurrentPrincipal, Meta } from '../auth/auth.decorators';
import { AllowedWhileRestricted } from '../auth/restricted.decorator';
import { ApiDoc } from '../openapi/operation-docs';
import {
  EmptyBodyDto,
  MfaCodeDto,
  MfaStatusResponse,
  RecoveryCodesResponse,
  SessionListResponse,
  StepUpResponse,
  TotpEnrolmentResponse,
} from './security.dto';

const PEOPLE_ONLY = 'For people signed in to the dashboard; a service key gets 403.';

/** A person's own second factors and sessions, and step-up. */
@ApiTags('security')
@Controller('v1')
export class SecurityController {
  constructor(
    private readonly mfa: MfaService,
    private readonly sessions: SessionsService,
  ) {}

  @Get('me/mfa')
  @AllowedWhileRestricted('mfa_enrolment')
  @ApiOkResponse({ type: MfaStatusResponse })
  @ApiDoc({ summary: "The caller's second factors", description: PEOPLE_ONLY })
  status(@CurrentPrincipal() principal: Principal): Promise<MfaStatus> {
    return this.mfa.status(principal);
  }

  @Post('me/mfa/totp')
  @AllowedWhileRestricted('mfa_enrolment')
  @ApiCreatedResponse({ type: TotpEnrolmentResponse })
  @ApiDoc({
    summary: 'Start TOTP enrolment',
    description: `Answers a new secret and its otpauth:// URI; it counts once confirmed with a first code. Starting again replaces an unconfirmed secret. ${PEOPLE_ONLY}`,
    errors: [ErrorCode.CONFLICT],
    example: {},
  })
  enrolTotp(@CurrentPrincipal() principal: Principal, @Body() _body: EmptyBodyDto, @Meta() meta: RequestMeta): Promise<TotpEnrolmentResponse> {
    return this.mfa.enrolTotp(principal, meta);
  }

  @Post('me/mfa/totp/confirm')
  @HttpCode(200)
  @AllowedWhileRestricted('mfa_enrolment')
  @ApiOkResponse({ type: RecoveryCodesResponse })
  @ApiDoc({
    summary: 'Confirm TOTP enrolment with a first code',
    description:
      'TOTP is on from now: the next log-in asks for a code. Answers ten recovery codes, shown this once. ' +
      `Lifts a session's mfa_enrolment restriction. Wrong codes count toward the log-in throttle. ${PEOPLE_ONLY}`,
    errors: [ErrorCode.INVALID_MFA, ErrorCode.CONFLICT, ErrorCode.RATE_LIMITED],
    example: { code: '123456' },
  })
  confirmTotp(@CurrentPrincipal() principal: Principal, @Body() body: MfaCodeDto, @Meta() meta: RequestMeta): Promise<RecoveryCodesResponse> {
    return this.mfa.confirmTotp(principal, body.code, meta);
  }

  @Post('me/mfa/totp/remove')
  @HttpCode(204)
  @ApiDoc({
    summary: 'Turn TOTP off',
    description: `Takes a current code or a recovery code; unused recovery codes go with it. ${PEOPLE_ONLY}`,
    errors: [ErrorCode.INVALID_MFA, ErrorCode.CONFLICT, ErrorCode.RATE_LIMITED],
    example: { code: '123456' },
  })
  async removeTotp(@CurrentPrincipal() principal: Principal, @Body() body: MfaCodeDto, @Meta() meta: RequestMeta): Promise<void> {
    await this.mfa.removeTotp(principal, body, meta);
  }

  @Post('me/mfa/recovery-codes')
  @HttpCode(200)
  @ApiOkResponse({ type: RecoveryCodesResponse })
  @ApiDoc({
    summary: 'Replace the recovery codes',
    description: `Takes a current code (or a recovery code); every unused code is replaced by ten new ones, shown this once. ${PEOPLE_ONLY}`,
    errors: [ErrorCode.INVALID_MFA, ErrorCode.CONFLICT, ErrorCode.RATE_LIMITED],
    example: { code: '123456' },
  })
  regenerate(@CurrentPrincipal() principal: Principal, @Body() body: MfaCodeDto, @Meta() meta: RequestMeta): Promise<RecoveryCodesResponse> {
    return this.mfa.regenerateRecoveryCodes(principal, body, meta);
  }

  @Post('auth/step-up')
  @HttpCode(200)
  @ApiOkResponse({ type: StepUpResponse })
  @ApiDoc({
    summary: 'Confirm a sensitive action with a second factor',
    description:
      'A person with MFA needs an MFA check within the policy\'s auth.stepUpSeconds (600 by default) to issue keys with custos: scopes, change roles, ' +
      `remove people, or change the policy, signing keys or SSO; those answer 403 STEP_UP_REQUIRED otherwise. Takes a TOTP or recovery code. ${PEOPLE_ONLY}`,
    errors: [ErrorCode.INVALID_MFA, ErrorCode.RATE_LIMITED],
    example: { code: '123456' },
  })
  stepUp(@CurrentPrincipal() principal: Principal, @Body() body: MfaCodeDto, @Meta() meta: RequestMeta): Promise<StepUpResponse> {
    return this.mfa.stepUp(principal, body, meta);
  }

  @Get('me/sessions')
  @ApiOkResponse({ type: SessionListResponse })
  @ApiDoc({ summary: "The caller's sessions", description: `Newest first; \`current\` marks the one this request came with. ${PEOPLE_ONLY}` })
  async listSessions(@CurrentPrincipal() principal: Principal): Promise<SessionListResponse> {
    return { items: await this.sessions.listOwn(principal) };
  }

  @Delete('me/sessions/:id')
  @HttpCode(204)
  @ApiDoc({ summary: 'End one of the caller\'s sessions', description: `At once: its next request is unauthenticated. ${PEOPLE_ONLY}`, errors: [ErrorCode.NOT_FOUND] })
  async endSession(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Meta() meta: RequestMeta): Promise<void> {
    await this.sessions.endOwn(principal, id, meta);
  }

  @Delete('me/sessions')
  @HttpCode(204)
  @ApiDoc({ summary: "End every session of the caller's but this one", description: PEOPLE_ONLY })
  async endOtherSessions(@CurrentPrincipal() principal: Principal, @Meta() meta: RequestMeta): Promise<void> {
    await this.sessions.endOtherOwn(principal, meta);
  }
}
