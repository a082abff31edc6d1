import { Module } from '@nestjs/common';
import { AlertRaiser } from '../alerts/alert-raiser';
import { AuditModule } from '../audit/audit.module';
import { TokenCacheModule } from '../verify/token-cache.module';
import { AuthService } from './auth.service';
import { MfaService } from './mfa.service';
import { PasswordService } from './password.service';
import { SecondFactor } from './second-factor';
import { SessionsService } from './sessions.service';
import { SessionStarter } from './session-starter';
import { SignInAlerts } from './sign-in-alerts';
import { UsersService } from './users.service';
import { WebauthnCeremonies } from '../passkeys/webauthn-ceremonies';

const ACCOUNTS = [AuthService, UsersService, SessionStarter, SecondFactor, MfaService, SessionsService, PasswordService, WebauthnCeremonies];

/** Sign-up, log-in, second factors, sessions and the tenant's people. Needs LOGIN_THROTTLE and WEBAUTHN_SETTINGS from the composition root. */
@Module({ imports: [AuditModule, TokenCacheModule], providers: [...ACCOUNTS, SignInAlerts, AlertRaiser], exports: ACCOUNTS })
export class AccountsModule {}
