import { TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState, type ReactNode } from 'react';

export interface TextFilter<K extends string> {
  key: K;
  label: string;
  placeholder: string;
}

/**
 * Free-text filters kept in the URL: typed into inputs, applied after a pause (an empty one removes
 * its filter). What was typed stays in the input while the URL catches up; `clear` empties them.
 */
export function useTextFilters<K extends string>(
  filters: readonly TextFilter<K>[],
  search: URLSearchParams,
  apply: (key: K, value: string | null) => void,
): { inputs: ReactNode; clear: () => void } {
  const [draft, setDraft] = useState<Partial<Record<K, string>>>(
    () => Object.fromEntries(filters.map(({ key }) => [key, search.get(key) ?? ''])) as Partial<Record<K, string>>,
  );
  const applyText = useDebouncedCallback((key: K, value: string) => apply(key, value.trim() || null), 350);
  const inputs = filters.map(({ key, label, placeholder }) => (
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
  ));
  return { inputs, clear: () => setDraft({}) };
}
