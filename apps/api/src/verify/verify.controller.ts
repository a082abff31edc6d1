import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { VerifyService, type Principal, type VerifyResult } from '@custos/application';
import { CurrentPrincipal, RequireScopes } from '../auth/auth.decorators';
import { MetricsService } from '../observability/metrics.service';
import { VerifyDto, VerifyResponse } from './verify.dto';

@ApiTags('verify')
@ApiBearerAuth()
@Controller('v1/verify')
export class VerifyController {
  constructor(
    private readonly verifier: VerifyService,
    private readonly metrics: MetricsService,
  ) {}

  /** Always 200 with a code: a refused token is an answer, not an error of the caller. */
  @Post()
  @HttpCode(200)
  @RequireScopes('custos:tokens:verify')
  @ApiOkResponse({ type: VerifyResponse })
  async verify(@CurrentPrincipal() principal: Principal, @Body() body: VerifyDto): Promise<VerifyResult> {
    const result = await this.verifier.verify(principal, body);
    this.metrics.verifyResult(result.code);
    return result;
  }
}
