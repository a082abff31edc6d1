import { Button, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';
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
  const [draft, setDraft] = useState<Record<string, string>>(() => Object.fromEntries(TEXT_FILTERS.map(({ key }) => [key, search.get(key) ?? ''])));
  const applyText = useDebouncedCallback((key: ConsentSearchKey, value: string) => onFilter({ [key]: value.trim() || null }), 350);

  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      {TEXT_FILTERS.map(({ key, label, placeholder }) => (
        <TextInput
          key={key}
          label={label}
          placeholder={placeholder}
          value={draft[key] ?? ''}
          onChange={(event) => {
            const value = event.currentTarget.value;
            setDraft((d) => ({ ...d, [key]: value }));
            applyText(key, value);
          }}
          w={200}
        />
      ))}
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
          setDraft({});
          onFilter({ purpose: null, subjectRef: null, status: null });
        }}
      >
        Clear filters
      </Button>
    </Group>
  );
}
