import { tenantFootprint } from '@custos/testing';
import type { RouteSpec } from './route-spec';
import { NO_BODY, BOTH } from './shared';

/** The policy routes of the catalogue. */
export const POLICY_ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/v1/policy',
    access: { scope: 'custos:policy:read' },
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ maxLifetimeSeconds: expect.any(Number), updatedAt: expect.any(String) });
        expect(Date.parse((res.body as { updatedAt: string }).updatedAt)).toBe(Date.parse(c.before.policyUpdatedAt!));
      },
    },
    invalid: NO_BODY,
    crossTenant: { notApplicable: "the caller's tenant's single policy; there is no id to point elsewhere" },
  },
  {
    method: 'PUT',
    path: '/v1/policy',
    access: { scope: 'custos:policy:write' },
    text: {
      probe: () => ({
        body: { maxLifetimeSeconds: 7_776_000, defaultRotationIntervalSeconds: null, defaultGracePeriodSeconds: 3600, disableUnusedAfterDays: 90, requireConsentFor: ['health'] },
      }),
    },
    valid: () => ({
      body: { maxLifetimeSeconds: 7_776_000, defaultRotationIntervalSeconds: null, defaultGracePeriodSeconds: 3600, disableUnusedAfterDays: 90 },
    }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['policy.updated'],
      check(res, c) {
        expect(res.body).toMatchObject({ maxLifetimeSeconds: 7_776_000, defaultGracePeriodSeconds: 3600 });
        expect(c.after.policyUpdatedAt).not.toBe(c.before.policyUpdatedAt);
      },
    },
    invalid: {
      request: () => ({
        body: { maxLifetimeSeconds: 10, defaultRotationIntervalSeconds: 'weekly', defaultGracePeriodSeconds: -1, disableUnusedAfterDays: 0 },
      }),
      fields: ['maxLifetimeSeconds', 'defaultRotationIntervalSeconds', 'defaultGracePeriodSeconds', 'disableUnusedAfterDays'],
    },
    crossTenant: {
      kind: 'custom',
      title: "B replacing its own policy leaves A's untouched",
      async run({ world }) {
        const [beforeA, beforeB] = await Promise.all([tenantFootprint(world.a.tenantId), tenantFootprint(world.b.tenantId)]);
        const res = await world.bKey.put('/v1/policy', {
          maxLifetimeSeconds: 86_400, defaultRotationIntervalSeconds: null, defaultGracePeriodSeconds: 0, disableUnusedAfterDays: 30,
        });
        expect(res.status).toBe(200);
        expect(await tenantFootprint(world.a.tenantId)).toEqual(beforeA);
        expect((await tenantFootprint(world.b.tenantId)).policyUpdatedAt).not.toBe(beforeB.policyUpdatedAt);
      },
    },
  },
];
