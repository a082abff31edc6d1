import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { PasskeysService } from './passkeys.service';

/** Passkeys (WebAuthn): registration, the list, and the passkey answers to log-in and step-up. Needs WEBAUTHN_SETTINGS from the composition root. */
@Module({ imports: [AuditModule, AccountsModule], providers: [PasskeysService], exports: [PasskeysService] })
export class PasskeysModule {}
