import { Anchor, Button, Modal, SegmentedControl, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { formatDate } from '../../../shared/format/format';
import { useServices } from '../../services/api/services.queries';
import { usePolicy } from '../../settings/api/policy.queries';
import { useCampaigns, useCreateCampaign, type CampaignListParams } from '../api/reviews.queries';
import { campaignPath, CampaignTable } from '../components/CampaignTable';
import { CreateCampaignForm } from '../components/CreateCampaignForm';
import { LoadMore } from '../../../shared/components/LoadMore';

const STATUS_OPTIONS = [
  { value: 'all', label: 'All' },
  { value: 'open', label: 'Open' },
  { value: 'closed', label: 'Closed' },
];

/** Access review campaigns, newest first: everyone reads them; owners and admins open and close them. */
export function CampaignsPage() {
  const can = useCan();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const status = search.get('status');
  const params: CampaignListParams = status === 'open' || status === 'closed' ? { status } : {};
  const campaigns = useCampaigns(params);
  const services = useServices(can('custos:services:read'));
  const writable = can('custos:reviews:write');
  const policy = usePolicy(writable && can('custos:policy:read'));
  const create = useCreateCampaign();
  const [creating, setCreating] = useState(false);
  const items = campaigns.data?.pages.flatMap((p) => p.items) ?? [];
  const serviceName = (id: string) => services.data?.find((s) => s.id === id)?.name ?? id;

  if (!can('custos:reviews:read')) return <EmptyState title="Your role cannot read access reviews">Ask an owner or admin.</EmptyState>;
  return (
    <>
      <PageHeader
        title="Access reviews"
        description={
          <>
            Campaigns in which stewards confirm that each token is still needed with the scopes it has.{' '}
            <Anchor component={Link} to="/reviews" size="sm">
              My reviews
            </Anchor>
          </>
        }
        actions={
          writable ? (
            <Button
              onClick={() => {
                create.reset();
                setCreating(true);
              }}
            >
              New campaign
            </Button>
          ) : null
        }
      />
      <Stack>
        <SegmentedControl
          w="fit-content"
          aria-label="Status"
          data={STATUS_OPTIONS}
          value={params.status ?? 'all'}
          onChange={(value) => setSearch(value === 'all' ? {} : { status: value }, { replace: true })}
        />
        {campaigns.isPending ? (
          <LoadingState label="Loading campaigns…" />
        ) : campaigns.isError && items.length === 0 ? (
          <ErrorState error={campaigns.error} onRetry={() => void campaigns.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title="No campaigns">
            {writable ? 'Open one with "New campaign", or let Settings open them on a schedule.' : 'An owner or admin opens them.'}
          </EmptyState>
        ) : (
          <>
            <CampaignTable campaigns={items} serviceName={serviceName} />
            <LoadMore pages={campaigns} />
          </>
        )}
      </Stack>

      <Modal opened={creating} onClose={() => setCreating(false)} title={<Text fw={600}>New access review campaign</Text>} size="lg" centered>
        {creating ? (
          <CreateCampaignForm
            defaults={policy.data ? { onOverdue: policy.data.reviews.onOverdue, dueInDays: policy.data.reviews.dueInDays } : undefined}
            pending={create.isPending}
            error={create.error}
            onCancel={() => setCreating(false)}
            onSubmit={(body) =>
              create.mutate(body, {
                onSuccess: (campaign) => {
                  setCreating(false);
                  notifications.show({
                    color: 'green',
                    title: 'Campaign opened',
                    message: `${campaign.progress.total} ${campaign.progress.total === 1 ? 'token' : 'tokens'} to review by ${formatDate(campaign.dueAt)}.`,
                  });
                  void navigate(campaignPath(campaign.id));
                },
              })
            }
          />
        ) : null}
      </Modal>
    </>
  );
}
