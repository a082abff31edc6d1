import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useToken, useTokenSearch } from '../api/tokens.queries';

interface TokenPickerProps {
  value: string | null;
  onChange: (tokenId: string | null) => void;
  w?: number;
}

/**
 * A token chosen by name or lookup id prefix, searched by the API as one types (a tenant may have far
 * more tokens than a list can hold); the chosen one keeps its name even when the search moves on.
 */
export function TokenPicker({ value, onChange, w }: TokenPickerProps) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const matches = useTokenSearch(q);
  const chosen = useToken(value ?? '', value !== null);
  const options = (matches.data ?? []).map((t) => ({ value: t.id, label: t.name }));
  if (chosen.data && !options.some((o) => o.value === chosen.data.id)) options.unshift({ value: chosen.data.id, label: chosen.data.name });

  return (
    <Select
      label="Token"
      placeholder="Any"
      data={options}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      // The API has matched already: a name found by its lookup id must not be filtered out again here.
      filter={({ options: found }) => found}
      nothingFoundMessage="No token's name or lookup id starts with that"
      clearable
      w={w}
    />
  );
}
