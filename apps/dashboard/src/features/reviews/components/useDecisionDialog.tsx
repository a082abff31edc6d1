import { notifications } from '@mantine/notifications';
import { useState, type ReactElement } from 'react';
import { DECISION_LABELS } from '../api/review-format';
import { useDecideItem, type Decision, type ReviewItem } from '../api/reviews.queries';
import { DecisionModal } from './DecisionModal';

/** One item's decision: `open` shows the dialog for it, `dialog` is the dialog to render; a decision made is announced. */
export function useDecisionDialog(): { open: (item: ReviewItem, decision: Decision) => void; dialog: ReactElement } {
  const decide = useDecideItem();
  const [target, setTarget] = useState<{ item: ReviewItem; decision: Decision } | null>(null);
  const open = (item: ReviewItem, decision: Decision) => {
    decide.reset();
    setTarget({ item, decision });
  };
  const dialog = (
    <DecisionModal
      target={target}
      pending={decide.isPending}
      error={decide.error}
      onClose={() => setTarget(null)}
      onConfirm={(body) => {
        if (!target) return;
        decide.mutate(
          { itemId: target.item.id, body },
          {
            onSuccess: (item) => {
              setTarget(null);
              notifications.show({
                color: 'green',
                title: `${DECISION_LABELS[body.decision]}: ${item.tokenName}`,
                message: item.effect ?? 'The decision is recorded.',
              });
            },
          },
        );
      }}
    />
  );
  return { open, dialog };
}
