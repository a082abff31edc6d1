import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { InvitationsService } from './invitations.service';

/** Invitations to join a tenant. Needs INVITATION_MAILER from the composition root (the api's infrastructure). */
@Module({ imports: [AuditModule, AccountsModule], providers: [InvitationsService], exports: [InvitationsService] })
export class InvitationsModule {}
