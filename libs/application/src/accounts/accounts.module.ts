import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthService } from './auth.service';
import { UsersService } from './users.service';

/** Sign-up, log-in, sessions and the tenant's people. Needs LOGIN_THROTTLE from the composition root. */
@Module({ imports: [AuditModule], providers: [AuthService, UsersService], exports: [AuthService, UsersService] })
export class AccountsModule {}
