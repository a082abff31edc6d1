import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { OIDC_RELYING_PARTY, OpenIdClientRelyingParty } from './oidc-relying-party';
import { SsoConfigService } from './sso-config.service';
import { SsoSignInService } from './sso-sign-in.service';

/** Single sign-on through each tenant's OIDC IdP. Needs SSO_SETTINGS from the composition root. */
@Module({
  imports: [AuditModule, AccountsModule],
  providers: [SsoConfigService, SsoSignInService, { provide: OIDC_RELYING_PARTY, useClass: OpenIdClientRelyingParty }],
  exports: [SsoConfigService, SsoSignInService],
})
export class SsoModule {}
