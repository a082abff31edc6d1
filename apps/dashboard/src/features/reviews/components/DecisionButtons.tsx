import { Button, Group } from '@mantine/core';
import type { Decision, ReviewItem } from '../api/reviews.queries';

/** Keep, narrow and revoke for one item; each opens the decision dialog, which asks for the comment. */
export function DecisionButtons({ item, onDecide }: { item: ReviewItem; onDecide: (item: ReviewItem, decision: Decision) => void }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Button size="xs" variant="default" onClick={() => onDecide(item, 'keep')}>
        Keep
      </Button>
      <Button size="xs" variant="default" onClick={() => onDecide(item, 'narrow')} disabled={item.tokenScopes.length === 0}>
        Narrow
      </Button>
      <Button size="xs" variant="light" color="red" onClick={() => onDecide(item, 'revoke')}>
        Revoke
      </Button>
    </Group>
  );
}
