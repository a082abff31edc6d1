import { Group, Select } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import type { Service } from '../../services/api/services.queries';
import { TokenPicker } from '../../tokens/components/TokenPicker';
import type { UsageSearchKey, UsageSelection } from '../api/usage-search';

interface UsageFiltersProps {
  selection: UsageSelection;
  services: Service[] | undefined;
  onChange: (update: Partial<Record<UsageSearchKey, string | null>>) => void;
}

/** Whose uses (a token, or the tokens a service owns) and the period, for the charts and the events alike. */
export function UsageFilters({ selection, services, onChange }: UsageFiltersProps) {
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <TokenPicker value={selection.tokenId} onChange={(token) => onChange({ token })} w={260} />
      <Select
        label="Service"
        placeholder="Any"
        data={(services ?? []).map((s) => ({ value: s.id, label: s.name }))}
        value={selection.serviceId}
        onChange={(service) => onChange({ service })}
        clearable
        searchable
        w={200}
      />
      {/* Whole days: the period runs from the first day's midnight to the end of the last day. */}
      <DateInput label="From" value={selection.fromDay} onChange={(value) => onChange({ from: value?.slice(0, 10) ?? null })} w={160} />
      <DateInput label="To" value={selection.toDay} onChange={(value) => onChange({ to: value?.slice(0, 10) ?? null })} w={160} />
    </Group>
  );
}
