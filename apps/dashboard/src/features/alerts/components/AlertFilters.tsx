import { Button, Group, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { ALERT_RULES, ALERT_SEVERITIES } from '@custos/contracts';
import { ruleLabel } from '../api/alert-format';
import type { AlertFilters as Filters, AlertSearchKey, AlertStatusFilter } from '../api/alert-search';

const STATUSES: Array<{ value: AlertStatusFilter; label: string }> = [
  { value: 'open', label: 'Open' },
  { value: 'acknowledged', label: 'Acknowledged' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
];

const SEVERITIES = [...ALERT_SEVERITIES].reverse().map((s) => ({ value: s, label: s }));
const RULE_OPTIONS = ALERT_RULES.map((rule) => ({ value: rule, label: ruleLabel(rule) }));

interface AlertFiltersProps {
  filters: Filters;
  onFilter: (update: Partial<Record<AlertSearchKey, string | null>>) => void;
}

/** Status (open by default), severity and rule, each sent to the API; all live in the URL. */
export function AlertFilters({ filters, onFilter }: AlertFiltersProps) {
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <Stack gap={4}>
        <Text size="sm" fw={500} component="span">
          Status
        </Text>
        <SegmentedControl aria-label="Status" data={STATUSES} value={filters.status} onChange={(status) => onFilter({ status })} />
      </Stack>
      <Select label="Severity" placeholder="Any" data={SEVERITIES} value={filters.severity} onChange={(severity) => onFilter({ severity })} clearable w={150} />
      <Select label="Rule" placeholder="Any" data={RULE_OPTIONS} value={filters.rule} onChange={(rule) => onFilter({ rule })} clearable w={230} />
      <Button variant="subtle" onClick={() => onFilter({ status: null, severity: null, rule: null })}>
        Clear filters
      </Button>
    </Group>
  );
}
