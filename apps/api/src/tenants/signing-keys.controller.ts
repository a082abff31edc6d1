import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SigningKeys, type Principal } from '@custos/application';
import type { Jwks } from '@custos/contracts';
import { JwksResponse } from '../audit/audit-evidence.dto';
import { CurrentPrincipal, RequireScopes } from '../auth/auth.decorators';
import { ApiDoc } from '../openapi/operation-docs';

@ApiTags('audit')
@Controller('v1/tenants/current')
export class SigningKeysController {
  constructor(private readonly keys: SigningKeys) {}

  @Get('jwks.json')
  @RequireScopes('custos:audit:read')
  @ApiOkResponse({
    type: JwksResponse,
    description: "The tenant's public signing keys, retired ones included: every checkpoint it ever signed verifies with this set.",
  })
  @ApiDoc({ summary: "The tenant's public signing keys (JWKS)", description: 'To verify checkpoints, audit bundles and report signatures.' })
  jwks(@CurrentPrincipal() principal: Principal): Promise<Jwks> {
    return this.keys.jwks(principal);
  }
}
