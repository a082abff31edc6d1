import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { RegionsQuery, type Principal, type RegionListView, type RegionView } from '@custos/application';
import { CurrentPrincipal, RequireScopes } from '../auth/auth.decorators';
import type { Mirror } from '../http/mirror';
import { ApiDoc } from '../openapi/operation-docs';

export class RegionResponse implements Mirror<RegionView, RegionResponse> {
  @ApiProperty({ example: 'EU', description: 'What residencyRegion, allowedRegions and usage regions name.' }) code!: string;
  @ApiProperty({ example: 'European Union' }) name!: string;
  @ApiProperty({ type: [String], example: ['AT', 'BE', 'BG'], description: 'ISO 3166-1 alpha-2 codes (upper case).' }) countries!: string[];
  @ApiProperty({ description: "One of Custos's own groups (docs/architecture.md, Regions); false for the tenant's own." }) builtIn!: boolean;
}

export class RegionListResponse implements Mirror<RegionListView, RegionListResponse> {
  @ApiProperty({ type: [RegionResponse] }) items!: RegionResponse[];
}

@ApiTags('usage')
@Controller('v1/regions')
export class RegionsController {
  constructor(private readonly regions: RegionsQuery) {}

  @Get()
  @RequireScopes('custos:policy:read')
  @ApiOkResponse({ type: RegionListResponse })
  @ApiDoc({
    summary: 'The region groups a token\'s residency and geofence may name, with their countries',
    description: 'The built-in groups (EU, UK, US, CA, EFTA, APAC, EEA, ADEQUACY), in the order usage events list a country\'s regions.',
  })
  list(@CurrentPrincipal() principal: Principal): Promise<RegionListView> {
    return this.regions.list(principal);
  }
}
