import { FRAMEWORK_NAMES, FRAMEWORKS } from '@custos/contracts';
import { Group, Select } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import type { ComplianceSearchKey, ComplianceSelection } from '../api/compliance-search';

const FRAMEWORK_OPTIONS = FRAMEWORKS.map((f) => ({ value: f, label: FRAMEWORK_NAMES[f] }));

interface ComplianceFiltersProps {
  selection: ComplianceSelection;
  onChange: (update: Partial<Record<ComplianceSearchKey, string | null>>) => void;
}

/** Framework and period for the control table, the next report and the audit export alike. */
export function ComplianceFilters({ selection, onChange }: ComplianceFiltersProps) {
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <Select
        label="Framework"
        data={FRAMEWORK_OPTIONS}
        value={selection.framework}
        onChange={(value) => onChange({ framework: value, control: null })}
        allowDeselect={false}
        w={220}
      />
      {/* Whole days: the period runs from the first day's midnight to the end of the last day. */}
      <DateInput label="From" value={selection.fromDay} onChange={(value) => onChange({ from: value?.slice(0, 10) ?? null })} w={160} />
      <DateInput label="To" value={selection.toDay} onChange={(value) => onChange({ to: value?.slice(0, 10) ?? null })} w={160} />
    </Group>
  );
}
