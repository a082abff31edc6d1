import { Anchor, Button, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { ConfirmModal } from '../../../shared/components/ConfirmModal';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { MY_PENDING, useKeepItems, useReviewItems } from '../api/reviews.queries';
import { useDecisionDialog } from '../components/useDecisionDialog';
import { ReviewQueueTable } from '../components/ReviewQueueTable';
import { LoadMore } from '../../../shared/components/LoadMore';

/**
 * The caller's review queue: the pending items of open campaigns assigned to them (an owner's or
 * admin's also holds those any of them reviews). A decided item leaves the queue.
 */
export function MyReviewsPage() {
  const can = useCan();
  const items = useReviewItems(MY_PENDING, can('custos:reviews:read'));
  const decision = useDecisionDialog();
  const keepAll = useKeepItems();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);
  const list = items.data?.pages.flatMap((p) => p.items) ?? [];
  // Only what is still in the queue counts: a decided item leaves the selection with the list.
  const selectedIds = list.filter((i) => selected.has(i.id)).map((i) => i.id);

  const select = (ids: string[], on: boolean) =>
    setSelected((previous) => {
      const next = new Set(previous);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  if (!can('custos:reviews:read')) return <EmptyState title="Your role cannot read access reviews">Ask an owner or admin.</EmptyState>;
  return (
    <>
      <PageHeader
        title="My reviews"
        description={
          <>
            Tokens waiting for your decision in open access review campaigns: keep them, narrow them to the scopes still used, or revoke them.{' '}
            <Anchor component={Link} to="/reviews/campaigns" size="sm">
              All campaigns
            </Anchor>
          </>
        }
        actions={
          list.length > 0 ? (
            <Button
              disabled={selectedIds.length === 0}
              onClick={() => {
                keepAll.reset();
                setBulkOpen(true);
              }}
            >
              Keep selected{selectedIds.length > 0 ? ` (${selectedIds.length})` : ''}
            </Button>
          ) : null
        }
      />
      <Stack>
        {items.isPending ? (
          <LoadingState label="Loading your reviews…" />
        ) : items.isError && list.length === 0 ? (
          <ErrorState error={items.error} onRetry={() => void items.refetch()} />
        ) : list.length === 0 ? (
          <EmptyState title="Nothing to review">Tokens show here when a campaign names you as their reviewer.</EmptyState>
        ) : (
          <>
            <ReviewQueueTable items={list} selected={new Set(selectedIds)} onSelect={select} onDecide={decision.open} />
            <LoadMore pages={items} />
          </>
        )}
      </Stack>

      {decision.dialog}

      <ConfirmModal
        opened={bulkOpen}
        title={`Keep ${selectedIds.length} ${selectedIds.length === 1 ? 'token' : 'tokens'}?`}
        confirmLabel="Keep all"
        reason={{ label: 'Comment', required: true, placeholder: 'Why they are all still needed' }}
        pending={keepAll.isPending}
        error={keepAll.error}
        onClose={() => setBulkOpen(false)}
        onConfirm={(comment) =>
          keepAll.mutate(
            { itemIds: selectedIds, comment },
            {
              onSuccess: (result) => {
                setBulkOpen(false);
                setSelected(new Set());
                notifications.show({ color: 'green', title: 'Kept', message: `${result.items.length} tokens kept, with your comment.` });
              },
            },
          )
        }
      >
        <Text size="sm">
          Every selected token keeps all its scopes. One comment is kept with each decision. If any of them cannot be kept (already decided, or not yours to
          decide), none is.
        </Text>
      </ConfirmModal>
    </>
  );
}
