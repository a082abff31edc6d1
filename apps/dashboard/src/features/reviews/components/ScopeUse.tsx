import { Badge, Group, Text } from '@mantine/core';
import type { ReviewItem } from '../api/reviews.queries';

/**
 * A reviewed token's scopes: those a valid verify asked for in the last 90 days in green, the others in
 * orange and marked "unused 90 days" (what a narrow would drop).
 */
export function ScopeUse({ item }: { item: Pick<ReviewItem, 'tokenScopes' | 'scopesUsed90d'> }) {
  if (item.tokenScopes.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No scopes
      </Text>
    );
  }
  return (
    <Group gap={4}>
      {item.tokenScopes.map((scope) => {
        const used = item.scopesUsed90d.includes(scope);
        return (
          <Badge
            key={scope}
            color={used ? 'teal' : 'orange'}
            variant={used ? 'light' : 'outline'}
            size="sm"
            radius="sm"
            tt="none"
            data-scope={scope}
            data-used={used}
            title={used ? 'Used in the last 90 days' : 'No valid verify asked for it in the last 90 days'}
          >
            {used ? scope : `${scope} · unused 90 days`}
          </Badge>
        );
      })}
    </Group>
  );
}
