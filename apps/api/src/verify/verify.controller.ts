import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { VerifyService, type Principal, type VerifyResult } from '@custos/application';
import { CurrentPrincipal, RequireScopes } from '../auth/auth.decorators';
import { VerifyDto, VerifyResponse } from './verify.dto';

@ApiTags('verify')
@ApiBearerAuth()
@Controller('v1/verify')
export class VerifyController {
  constructor(private readonly verifier: VerifyService) {}

  /** Always 200 with a code: a refused token is an answer, not an error of the caller. */
  @Post()
  @HttpCode(200)
  @RequireScopes('custos:tokens:verify')
  @ApiOkResponse({ type: VerifyResponse })
  verify(@CurrentPrincipal() principal: Principal, @Body() body: VerifyDto): Promise<VerifyResult> {
    return this.verifier.verify(principal, body);
  }
}
