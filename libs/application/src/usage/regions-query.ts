import { Injectable } from '@nestjs/common';
import { BUILT_IN_REGIONS, BUILT_IN_REGION_NAMES, type BuiltInRegion } from '@custos/domain';
import type { Principal } from '../auth/principal';
import { requireScope } from '../shared/require-scope';

/** A region group as residency, geofences and cross-border rules name it. */
export interface RegionView {
  code: string;
  name: string;
  /** ISO 3166-1 alpha-2 codes (upper case). */
  countries: string[];
  /** One of Custos's own groups (libs/domain regions.ts); a tenant's own groups are not. */
  builtIn: boolean;
}

export interface RegionListView {
  items: RegionView[];
}

/**
 * The region groups a token's residency and geofence may name (GET /v1/regions): the built-in ones, in
 * the order regionsOf lists them. Reading them needs what reading the tenant's policy needs: the
 * groups are part of the rules tokens are held to, and every role holds it.
 */
@Injectable()
export class RegionsQuery {
  /** A promise already, so that reading the tenant's own groups (builtIn: false) later changes no caller. */
  list(principal: Principal): Promise<RegionListView> {
    requireScope(principal, 'custos:policy:read');
    const codes = Object.keys(BUILT_IN_REGIONS) as BuiltInRegion[];
    return Promise.resolve({
      items: codes.map((code) => ({ code, name: BUILT_IN_REGION_NAMES[code], countries: [...BUILT_IN_REGIONS[code]], builtIn: true })),
    });
  }
}
