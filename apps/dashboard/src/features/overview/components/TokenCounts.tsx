import { SimpleGrid } from '@mantine/core';
import type { TokenOverview } from '../api/overview.queries';
import { StatCard } from './StatCard';

export const STATUS_ORDER = ['active', 'rotating', 'suspended', 'revoked', 'expired'] as const;

/** An inventory link with these filters, narrowed to one service's tokens when given one. */
function inventory(filters: string, serviceId: string | undefined): string {
  return `/tokens?${filters}${serviceId ? `&service=${encodeURIComponent(serviceId)}` : ''}`;
}

interface CountsProps {
  overview: TokenOverview;
  /** The figures are this service's (its page): the links keep to its tokens. */
  serviceId?: string | undefined;
}

/** A card per status, each linking to the inventory filtered to that status. */
export function StatusCounts({ overview, serviceId }: CountsProps) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }}>
      {STATUS_ORDER.map((status) => (
        <StatCard key={status} label={status} value={overview.byStatus[status]} to={inventory(`status=${status}`, serviceId)} />
      ))}
    </SimpleGrid>
  );
}

/** What needs someone's attention: expiring soon, rotation overdue, unused for a month. */
export function AttentionCounts({ overview, serviceId }: CountsProps) {
  const inAWeek = new Date(new Date(overview.generatedAt).getTime() + 7 * 86_400_000).toISOString();
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      <StatCard
        label="Expiring in 7 days"
        value={overview.expiringSoon}
        hint="Active or suspended"
        to={inventory(`status=active,suspended&expiringBefore=${encodeURIComponent(inAWeek)}&sort=expiresAt&order=asc`, serviceId)}
      />
      <StatCard label="Rotation overdue" value={overview.rotationOverdue} hint="Scheduled rotation has not happened" />
      <StatCard
        label="Unused 30+ days"
        value={overview.unused}
        hint="Active, not used, created or resumed"
        to={inventory('status=active&sort=lastUsedAt&order=asc', serviceId)}
      />
    </SimpleGrid>
  );
}
