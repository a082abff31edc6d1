import { Button, Group, Stack, Text } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { ConfirmModal } from '../../../shared/components/ConfirmModal';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../../shared/components/states';
import { useServices } from '../../services/api/services.queries';
import { useRegions } from '../../usage/api/usage.queries';
import { paramsFromSearch, withFilters, type FilterUpdate } from '../api/inventory-params';
import { useBulkRevoke, useInventory } from '../api/tokens.queries';
import { ColumnChooser } from '../components/ColumnChooser';
import { ExportCsvButton } from '../components/ExportCsvButton';
import { DEFAULT_COLUMNS } from '../components/inventory-columns';
import { InventoryFilters } from '../components/InventoryFilters';
import { InventoryTable } from '../components/InventoryTable';

export function InventoryPage() {
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => paramsFromSearch(search), [search]);
  const inventory = useInventory(params);
  const can = useCan();
  const services = useServices(can('custos:services:read'));
  const regions = useRegions(can('custos:policy:read'));
  const [columns, setColumns] = useLocalStorage<string[]>({ key: 'custos.inventory.columns', defaultValue: DEFAULT_COLUMNS });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const bulkRevoke = useBulkRevoke();

  const tokens = inventory.data?.pages.flatMap((p) => p.items) ?? [];
  const first = inventory.data?.pages[0];
  const filtering = [...search.keys()].some((k) => k !== 'sort' && k !== 'order');

  const filter = (update: FilterUpdate) => {
    setSelected(new Set());
    setSearch((previous) => withFilters(previous, update), { replace: true });
  };

  return (
    <>
      <PageHeader
        title="Tokens"
        description={first ? `${first.total.toLocaleString()}${first.totalCapped ? '+' : ''} matching` : undefined}
        actions={
          <>
            <ExportCsvButton params={params} />
            <ColumnChooser visible={columns} onChange={setColumns} />
            {can('custos:tokens:issue') ? (
              <Button component={Link} to="/tokens/new">
                Issue token
              </Button>
            ) : null}
          </>
        }
      />
      <Stack>
        <InventoryFilters search={search} services={services.data} regions={regions.data} onFilter={filter} onClear={() => filter(Object.fromEntries([...search.keys()].map((k) => [k, null])))} />
        {can('custos:tokens:revoke') && selected.size > 0 ? (
          <Group>
            <Text size="sm">{selected.size} selected</Text>
            <Button color="red" variant="light" onClick={() => setConfirming(true)}>
              Revoke selected
            </Button>
            <Button variant="subtle" onClick={() => setSelected(new Set())}>
              Clear selection
            </Button>
          </Group>
        ) : null}
        {inventory.isPending ? (
          <LoadingState label="Loading tokens…" />
        ) : inventory.isError && tokens.length === 0 ? (
          <ErrorState error={inventory.error} onRetry={() => void inventory.refetch()} />
        ) : tokens.length === 0 ? (
          <EmptyState title={filtering ? 'No token matches these filters' : 'No tokens yet'}>
            {filtering ? 'Change or clear the filters.' : 'Issue a token to see it here.'}
          </EmptyState>
        ) : (
          <>
            <InventoryTable
              tokens={tokens}
              visibleColumns={columns}
              {...(can('custos:tokens:revoke') ? { selection: { selected, onChange: setSelected } } : {})}
            />
            {inventory.isFetchNextPageError ? <ErrorState error={inventory.error} onRetry={() => void inventory.fetchNextPage()} /> : null}
            <Group justify="center">
              {inventory.hasNextPage ? (
                <Button variant="default" loading={inventory.isFetchingNextPage} onClick={() => void inventory.fetchNextPage()}>
                  Load more
                </Button>
              ) : (
                <Text size="sm" c="dimmed">
                  All {tokens.length.toLocaleString()} shown
                </Text>
              )}
            </Group>
          </>
        )}
      </Stack>
      <ConfirmModal
        opened={confirming}
        title={`Revoke ${selected.size} token${selected.size === 1 ? '' : 's'}?`}
        confirmLabel="Revoke"
        danger
        reason={{ label: 'Reason', required: true, placeholder: 'e.g. leaked in a build log' }}
        pending={bulkRevoke.isPending}
        error={bulkRevoke.error}
        onClose={() => {
          bulkRevoke.reset();
          setConfirming(false);
        }}
        onConfirm={(reason) =>
          bulkRevoke.mutate(
            { ids: [...selected], reason },
            {
              onSuccess: (result) => {
                notifications.show({ color: 'green', title: 'Revoked', message: `${result.items.length} token(s) revoked. They stop working at once.` });
                setSelected(new Set());
                setConfirming(false);
              },
            },
          )
        }
      >
        <Text size="sm">
          Revoked tokens stop working at once and cannot be restored. All of them are revoked, or none if one cannot be.
        </Text>
      </ConfirmModal>
    </>
  );
}
