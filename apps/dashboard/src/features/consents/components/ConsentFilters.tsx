import { Button, Group, Select } from '@mantine/core';
import { useTextFilters } from '../../../shared/forms/text-filters';
import type { ConsentSearchKey } from '../api/consent-filters';
import { CONSENT_STATUSES } from '../api/timeline';

interface ConsentFiltersProps {
  search: URLSearchParams;
  onFilter: (update: Partial<Record<ConsentSearchKey, string | null>>) => void;
}

const TEXT_FILTERS = [
  { key: 'purpose', label: 'Purpose', placeholder: 'e.g. newsletter' },
  { key: 'subjectRef', label: 'Subject', placeholder: 'pseudonymous reference' },
] as const;

/** Purpose and subject are typed (sent after a pause), status is picked; all live in the URL. */
export function ConsentFilters({ search, onFilter }: ConsentFiltersProps) {
  const text = useTextFilters(TEXT_FILTERS, search, (key: ConsentSearchKey, value) => onFilter({ [key]: value }));

  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      {text.inputs}
      <Select
        label="Status"
        placeholder="Any"
        clearable
        data={[...CONSENT_STATUSES]}
        value={search.get('status')}
        onChange={(value) => onFilter({ status: value })}
        w={150}
      />
      <Button
        variant="subtle"
        onClick={() => {
          text.clear();
          onFilter({ purpose: null, subjectRef: null, status: null });
        }}
      >
        Clear filters
      </Button>
    </Group>
  );
}
