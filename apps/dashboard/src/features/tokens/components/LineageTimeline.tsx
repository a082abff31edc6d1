import { Anchor, Text, Timeline } from '@mantine/core';
import { Link } from 'react-router';
import { ErrorState, LoadingState } from '../../../shared/components/states';
import { formatDateTime } from '../../../shared/format/format';
import { useLineage } from '../api/tokens.queries';
import { TokenStatusBadge } from './TokenStatusBadge';

/** The rotation chain, oldest first, with the token on this page marked. */
export function LineageTimeline({ tokenId }: { tokenId: string }) {
  const lineage = useLineage(tokenId);
  if (lineage.isPending) return <LoadingState label="Loading rotations…" />;
  if (lineage.isError) return <ErrorState error={lineage.error} onRetry={() => void lineage.refetch()} />;
  if (lineage.data.length <= 1) {
    return (
      <Text size="sm" c="dimmed">
        Never rotated.
      </Text>
    );
  }
  const current = lineage.data.findIndex((t) => t.id === tokenId);
  return (
    <Timeline active={current} bulletSize={14} lineWidth={2}>
      {lineage.data.map((t) => (
        <Timeline.Item
          key={t.id}
          title={
            t.id === tokenId ? (
              <Text fw={600}>This token</Text>
            ) : (
              <Anchor component={Link} to={`/tokens/${t.id}`}>
                {t.hint}
              </Anchor>
            )
          }
        >
          <Text size="xs" c="dimmed">
            {formatDateTime(t.createdAt)} via {t.createdVia}
          </Text>
          <TokenStatusBadge status={t.status} />
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
