import { Injectable } from '@nestjs/common';
import { BUILT_IN_REGIONS, BUILT_IN_REGION_NAMES, type BuiltInRegion } from '@custos/domain';
import { Database } from '@custos/persistence';
import type { Principal } from '../auth/principal';
import { PolicyService } from '../policy/policy.service';
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
 * the order regionsOf lists them, then the tenant's own (its policy's geo.regionGroups); a group of the
 * tenant with a built-in code stands in that group's place. Reading them needs what reading the
 * tenant's policy needs: the groups are part of the rules tokens are held to, and every role holds it.
 */
@Injectable()
export class RegionsQuery {
  constructor(
    private readonly db: Database,
    private readonly policies: PolicyService,
  ) {}

  async list(principal: Principal): Promise<RegionListView> {
    requireScope(principal, 'custos:policy:read');
    const own = (await this.db.tenant(principal.tenantId, (tx) => this.policies.current(tx))).regionGroups;
    const ownByCode = new Map(own.map((g) => [g.code, g]));
    const builtIn = (Object.keys(BUILT_IN_REGIONS) as BuiltInRegion[]).map((code): RegionView => {
      const replaced = ownByCode.get(code);
      return replaced
        ? { code, name: replaced.name ?? code, countries: [...replaced.countries], builtIn: false }
        : { code, name: BUILT_IN_REGION_NAMES[code], countries: [...BUILT_IN_REGIONS[code]], builtIn: true };
    });
    const added = own.filter((g) => !(g.code in BUILT_IN_REGIONS)).map((g): RegionView => ({ code: g.code, name: g.name ?? g.code, countries: [...g.countries], builtIn: false }));
    return { items: [...builtIn, ...added] };
  }
}
