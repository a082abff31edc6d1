import { Anchor, Button, Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { ActorName } from '../../../shared/components/ActorName';
import { ConfirmModal } from '../../../shared/components/ConfirmModal';
import { Fact } from '../../../shared/components/Fact';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import type { Actor } from '../../../shared/format/actor';
import { formatDateTime, formatRelative } from '../../../shared/format/format';
import { useServices } from '../../services/api/services.queries';
import { useSession } from '../../session/api/session.queries';
import { stewardEmail } from '../../users/api/stewards';
import { useUsers } from '../../users/api/users.queries';
import { OVERDUE_LABELS, reviewerSummary, scopeSummary } from '../api/review-format';
import { useCampaign, useCloseCampaign, useReviewItems, type Campaign, type ReviewItem, type ReviewItemParams, type ReviewItemStatus } from '../api/reviews.queries';
import { CampaignItemsTable, type CampaignItemsTableProps } from '../components/CampaignItemsTable';
import { CampaignProgressBar } from '../components/CampaignProgressBar';
import { CampaignReports } from '../components/CampaignReports';
import { CampaignStatusBadge } from '../components/ReviewBadges';
import { LoadMore } from '../../../shared/components/LoadMore';
import { useDecisionDialog } from '../components/useDecisionDialog';

const ITEM_FILTERS = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'decided', label: 'Decided' },
  { value: 'overdue', label: 'Overdue' },
];

/** One campaign: what it reviews, its progress, its overdue items and every item; closing it, and its reports once closed. */
export function CampaignDetailPage() {
  const { campaignId = '' } = useParams();
  const campaign = useCampaign(campaignId);

  if (campaign.isPending) return <LoadingState label="Loading the campaign…" />;
  if (campaign.isError) return <ErrorState error={campaign.error} onRetry={() => void campaign.refetch()} />;
  return <CampaignView campaign={campaign.data} />;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" role="region" aria-label={title}>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

function CampaignView({ campaign }: { campaign: Campaign }) {
  const can = useCan();
  const { user: me } = useSession();
  const users = useUsers(can('custos:users:read'));
  const services = useServices(can('custos:services:read'));
  const close = useCloseCampaign(campaign.id);
  const [closing, setClosing] = useState(false);
  const [filter, setFilter] = useState<ReviewItemStatus | 'all'>('all');
  const email = (id: string) => stewardEmail(id, users.data, me);
  /** A user the users list (or the session) knows, by e-mail; a service key or "system" by its id. */
  const actor = (id: string | null): Actor | null => {
    const known = id === null ? undefined : email(id);
    return id === null || known === undefined ? null : { id, kind: 'user', email: known, name: null, removedAt: null };
  };
  const reviewerName = (item: ReviewItem) => (item.reviewerUserId === null ? 'Any owner or admin' : (email(item.reviewerUserId) ?? item.reviewerUserId));
  const serviceName = (id: string) => services.data?.find((s) => s.id === id)?.name ?? id;
  const open = campaign.status === 'open';
  const decision = useDecisionDialog();
  // As the API decides: the item's reviewer, or whoever may decide any item (owners and admins).
  const decide = {
    may: (item: ReviewItem) => open && item.status === 'pending' && (can('custos:reviews:write') || (me !== undefined && item.reviewerUserId === me.id)),
    onDecide: decision.open,
  };

  return (
    <>
      <PageHeader
        title={campaign.name}
        description={
          <Group gap="xs">
            <CampaignStatusBadge status={campaign.status} />
            <Anchor component={Link} to="/reviews/campaigns" size="sm">
              All campaigns
            </Anchor>
          </Group>
        }
        actions={
          open && can('custos:reviews:write') ? (
            <Button
              color="red"
              variant="light"
              onClick={() => {
                close.reset();
                setClosing(true);
              }}
            >
              Close campaign
            </Button>
          ) : null
        }
      />
      <Stack>
        <Section title="Campaign">
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
            <Fact label="Reviews">{scopeSummary(campaign.scope, serviceName)}</Fact>
            <Fact label="Reviewer">{reviewerSummary(campaign.reviewer, email)}</Fact>
            <Fact label="Undecided at the due date">{OVERDUE_LABELS[campaign.onOverdue]}</Fact>
            <Fact label="Due">
              {formatDateTime(campaign.dueAt)} ({formatRelative(campaign.dueAt)})
            </Fact>
            <Fact label="Opened">
              {formatDateTime(campaign.createdAt)} by <ActorName id={campaign.createdBy} actor={actor(campaign.createdBy)} />
            </Fact>
            <Fact label="Separation of duties">{campaign.separationOfDuties ? "Owners and admins review tokens their steward issued to themselves" : 'Off'}</Fact>
            {campaign.closedAt ? (
              <Fact label="Closed">
                {formatDateTime(campaign.closedAt)} by <ActorName id={campaign.closedBy} actor={actor(campaign.closedBy)} />
              </Fact>
            ) : null}
          </SimpleGrid>
          <Fact label="Progress">
            <CampaignProgressBar progress={campaign.progress} />
            <Text size="xs" c="dimmed" mt={4}>
              {campaign.progress.decided.keep} kept · {campaign.progress.decided.narrow} narrowed · {campaign.progress.decided.revoke} revoked ·{' '}
              {campaign.progress.pending} pending
            </Text>
          </Fact>
          {campaign.reportIds ? <CampaignReports reportIds={campaign.reportIds} /> : null}
        </Section>

        {campaign.progress.overdue > 0 ? (
          <Section title="Overdue">
            <Text size="sm" c="dimmed">
              Not decided by the due date: {OVERDUE_LABELS[campaign.onOverdue].toLowerCase()}.
            </Text>
            <ItemList params={{ campaignId: campaign.id, status: 'overdue' }} label="Overdue items" reviewerName={reviewerName} />
          </Section>
        ) : null}

        <Section title="Items">
          <SegmentedControl
            w="fit-content"
            size="xs"
            aria-label="Item status"
            data={ITEM_FILTERS}
            value={filter}
            onChange={(value) => setFilter(value as ReviewItemStatus | 'all')}
          />
          <ItemList
            params={{ campaignId: campaign.id, ...(filter === 'all' ? {} : { status: filter }) }}
            label="Items"
            reviewerName={reviewerName}
            decide={can('custos:reviews:decide') || can('custos:reviews:write') ? decide : undefined}
          />
        </Section>
      </Stack>

      {decision.dialog}

      <ConfirmModal
        opened={closing}
        title={`Close "${campaign.name}"?`}
        confirmLabel="Close campaign"
        danger
        pending={close.isPending}
        error={close.error}
        onClose={() => setClosing(false)}
        onConfirm={() =>
          close.mutate(undefined, {
            onSuccess: () => {
              setClosing(false);
              notifications.show({ color: 'green', title: 'Campaign closed', message: 'Its signed report is being generated.' });
            },
          })
        }
      >
        <Text size="sm">
          No decision can be made in it afterwards; {campaign.progress.pending} undecided {campaign.progress.pending === 1 ? 'item stays' : 'items stay'} undecided
          in its report. The worker then generates the signed report (JSON, CSV and PDF).
        </Text>
      </ConfirmModal>
    </>
  );
}

interface ItemListProps {
  params: ReviewItemParams;
  label: string;
  reviewerName: (item: ReviewItem) => string;
  decide?: CampaignItemsTableProps['decide'];
}

function ItemList({ params, label, reviewerName, decide }: ItemListProps) {
  const items = useReviewItems(params);
  const list = items.data?.pages.flatMap((p) => p.items) ?? [];
  if (items.isPending) return <LoadingState label="Loading items…" />;
  if (items.isError && list.length === 0) return <ErrorState error={items.error} onRetry={() => void items.refetch()} />;
  if (list.length === 0) return <EmptyState title="No items" />;
  return (
    <>
      <CampaignItemsTable items={list} label={label} reviewerName={reviewerName} decide={decide} />
      <LoadMore pages={items} />
    </>
  );
}
