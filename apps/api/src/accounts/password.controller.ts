import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PasswordService, type Principal, type RequestMeta } from '@custos/application';
import { ErrorCode } from '@custos/contracts';
import { CurrentPrincipal, Meta } from '../auth/auth.decorators';
import { AllowedWhileRestricted } from '../auth/restricted.decorator';
import { ChangePasswordDto } from '../invitations/invitations.dto';
import { ApiDoc } from '../openapi/operation-docs';

@ApiTags('auth')
@Controller('v1/me')
export class PasswordController {
  constructor(private readonly passwords: PasswordService) {}

  @Post('password')
  @HttpCode(204)
  @AllowedWhileRestricted('password_change')
  @ApiDoc({
    summary: 'Change your password',
    description:
      'For a person signed in: the current password, then the new one under the password rules (400 VALIDATION_FAILED naming the field). ' +
      'A session owed a password change (the password was chosen by someone else) may call this, and is unrestricted after it. ' +
      "The person's other sessions end. Wrong current passwords count toward the log-in throttle.",
    errors: [ErrorCode.RATE_LIMITED],
    example: { currentPassword: 'correct horse battery staple', newPassword: 'a different long passphrase' },
  })
  change(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordDto, @Meta() meta: RequestMeta): Promise<void> {
    return this.passwords.change(principal, body, meta);
  }
}
