/** How usage counts can be grouped (GET /v1/usage?groupBy=): by UTC hour or day, or by where and how they ended. */
export const USAGE_GROUP_BYS = ['hour', 'day', 'country', 'region', 'outcome'] as const;
export type UsageGroupBy = (typeof USAGE_GROUP_BYS)[number];
