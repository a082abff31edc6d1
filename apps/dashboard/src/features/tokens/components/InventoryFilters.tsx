import { Button, Group, MultiSelect, Select, Switch, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';
import type { Service } from '../../services/api/services.queries';
import type { Region } from '../../usage/api/usage.queries';
import { TOKEN_STATUSES, searchForUrl, usedInOptions, type FilterUpdate } from '../api/inventory-params';

interface InventoryFiltersProps {
  search: URLSearchParams;
  services: Service[] | undefined;
  /** The region groups "Used in" offers (GET /v1/regions). */
  regions: Region[] | undefined;
  onFilter: (update: FilterUpdate) => void;
  onClear: () => void;
}

const SORT_OPTIONS = [
  { value: 'createdAt:desc', label: 'Newest first' },
  { value: 'createdAt:asc', label: 'Oldest first' },
  { value: 'expiresAt:asc', label: 'Expiring soonest' },
  { value: 'expiresAt:desc', label: 'Expiring latest' },
  { value: 'lastUsedAt:desc', label: 'Recently used' },
  { value: 'lastUsedAt:asc', label: 'Least recently used' },
];

/** Every filter is applied by the server; the search box waits for a pause in typing before asking. */
export function InventoryFilters({ search, services, regions, onFilter, onClear }: InventoryFiltersProps) {
  const [query, setQuery] = useState(search.get('q') ?? '');
  const [scope, setScope] = useState(search.get('scope') ?? '');
  const [place, setPlace] = useState('');
  const usedIn = search.get('usedIn');
  const applyQuery = useDebouncedCallback((value: string) => onFilter({ q: searchForUrl(value) }), 300);
  const applyScope = useDebouncedCallback((value: string) => onFilter({ scope: value.trim() || null }), 400);
  const sort = `${search.get('sort') ?? 'createdAt'}:${search.get('order') ?? 'desc'}`;
  const before = search.get('expiringBefore');

  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <TextInput
        label="Search"
        placeholder="Name, lookup id or token"
        value={query}
        onChange={(event) => {
          setQuery(event.currentTarget.value);
          applyQuery(event.currentTarget.value);
        }}
        w={240}
      />
      <MultiSelect
        label="Status"
        placeholder={search.get('status') ? undefined : 'Any'}
        data={[...TOKEN_STATUSES]}
        value={(search.get('status') ?? '').split(',').filter(Boolean)}
        onChange={(value) => onFilter({ status: value.join(',') || null })}
        clearable
        w={220}
      />
      <Select
        label="Service"
        placeholder="Any"
        data={(services ?? []).map((s) => ({ value: s.id, label: s.name }))}
        value={search.get('service')}
        onChange={(value) => onFilter({ service: value })}
        clearable
        searchable
        w={180}
      />
      <TextInput
        label="Scope"
        placeholder="e.g. orders:read"
        value={scope}
        onChange={(event) => {
          setScope(event.currentTarget.value);
          applyScope(event.currentTarget.value);
        }}
        w={160}
      />
      <Select
        label="Environment"
        placeholder="Any"
        data={['live', 'test']}
        value={search.get('environment')}
        onChange={(value) => onFilter({ environment: value })}
        clearable
        w={130}
      />
      <DateInput
        label="Expiring before"
        placeholder="Any date"
        value={before ? new Date(before) : null}
        onChange={(value) => onFilter({ expiringBefore: value ? new Date(value).toISOString() : null })}
        clearable
        w={160}
      />
      <Select
        label="Used in"
        placeholder="Anywhere"
        title="Tokens with a VALID use from this region or country: pick a region, or type a country's two-letter code"
        data={usedInOptions(regions, place, usedIn)}
        value={usedIn}
        searchValue={place}
        onSearchChange={setPlace}
        onChange={(value) => onFilter({ usedIn: value })}
        nothingFoundMessage="A region, or a country's code such as DE"
        clearable
        searchable
        w={200}
      />
      <Switch
        label="Cross-border only"
        title="Tokens used from outside their residency region"
        checked={search.get('crossBorder') === 'true'}
        onChange={(event) => onFilter({ crossBorder: event.currentTarget.checked ? 'true' : null })}
        mb={8}
      />
      <Select
        label="Sort"
        data={SORT_OPTIONS}
        value={sort}
        allowDeselect={false}
        onChange={(value) => {
          const [key, order] = (value ?? 'createdAt:desc').split(':');
          onFilter({ sort: key ?? null, order: order ?? null });
        }}
        w={190}
      />
      <Button
        variant="subtle"
        onClick={() => {
          setQuery('');
          setScope('');
          setPlace('');
          onClear();
        }}
      >
        Clear filters
      </Button>
    </Group>
  );
}
