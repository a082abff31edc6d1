import { Alert, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import { ALERT_RULES, ALERT_SEVERITIES, PERSON_ALERT_RULES, type AlertRule } from '@custos/contracts';
import type { GetInputPropsReturnType } from '@mantine/form';
import { formatDuration } from '../../../shared/format/format';
import { RULES } from '../../alerts/api/alert-format';
import { ACK_WITHIN_MAX_MINUTES, ALERT_THRESHOLD_MAX, ALERT_WINDOW_MIN_SECONDS, RULE_PARAMETER_HINTS, windowMaxOf, type AlertPolicyValues } from '../api/alert-rules-form';

const SEVERITIES = [...ALERT_SEVERITIES].map((s) => ({ value: s, label: s }));
const REMEDIATIONS = [
  { value: 'none', label: 'None: alert only' },
  { value: 'suspend', label: 'Suspend the token' },
  { value: 'revoke', label: 'Revoke the token' },
];

interface AlertRulesFieldsProps {
  values: AlertPolicyValues;
  field: (path: string) => GetInputPropsReturnType;
  error: (path: string) => string | undefined;
}

/**
 * The alert rules, one row each: on or off, threshold and window where the rule counts, severity and
 * remediation; then how soon alerts should be acknowledged and whether remediation may touch the keys
 * that administer the tenant.
 */
export function AlertRulesFields({ values, field, error }: AlertRulesFieldsProps) {
  const ownerKeys = field('alerts.remediateOwnerServiceKeys');
  return (
    <Stack gap="sm">
      {error('alerts.rules') ? (
        <Text size="xs" c="red" role="alert">
          {error('alerts.rules')}
        </Text>
      ) : null}
      {ALERT_RULES.map((rule) => (
        <RuleRow key={rule} rule={rule} values={values} field={field} error={error} />
      ))}
      <NumberInput
        label="Acknowledge alerts within (minutes)"
        description="How soon someone should say they are on a new alert."
        min={1}
        max={ACK_WITHIN_MAX_MINUTES}
        allowDecimal={false}
        thousandSeparator=","
        clampBehavior="none"
        maw={320}
        {...field('alerts.ackWithinMinutes')}
      />
      <Switch
        label="Remediation may suspend or revoke service keys that administer your organization"
        description="Keys holding custos:policy:write or custos:users:write: how your own automation manages Custos. Off, remediation leaves them alone and the alert says so."
        checked={values.remediateOwnerServiceKeys}
        onChange={(event) => ownerKeys.onChange(event.currentTarget.checked)}
        error={ownerKeys.error}
      />
      {values.remediateOwnerServiceKeys ? (
        <Alert color="yellow" variant="light" title="This can lock you out">
          One noisy rule can then suspend or revoke the key your automation uses to manage Custos itself (its users, its policy), and it stays
          locked out until an owner or admin steps in through the dashboard. Turn it on only if every such key should be treated like any other.
        </Alert>
      ) : null}
    </Stack>
  );
}

function RuleRow({ rule, values, field, error }: AlertRulesFieldsProps & { rule: AlertRule }) {
  const at = `alerts.rules.${rule}`;
  const own = values.rules[rule];
  const enabled = field(`${at}.enabled`);
  const hints = RULE_PARAMETER_HINTS[rule] ?? {};
  // A leak report is proof, not a judgement: it always raises its alert and revokes (docs/alerts.md).
  const fixed = rule === 'leaked';
  const window = typeof own.windowSeconds === 'number' ? formatDuration(own.windowSeconds) : null;
  return (
    <Paper withBorder p="sm" radius="md" role="group" aria-label={RULES[rule].label} data-rule={rule}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Text fw={600} size="sm">
              {RULES[rule].label}
            </Text>
            <Text size="xs" c="dimmed">
              {RULES[rule].description}
              {fixed ? ' Always on, and always revokes: only its severity can change.' : ''}
            </Text>
          </div>
          <Switch
            label="Enabled"
            checked={own.enabled}
            disabled={fixed}
            onChange={(event) => enabled.onChange(event.currentTarget.checked)}
            error={enabled.error}
          />
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
          {own.threshold !== undefined ? (
            <NumberInput
              label="Threshold"
              description={hints.threshold}
              min={1}
              max={ALERT_THRESHOLD_MAX}
              allowDecimal={false}
              thousandSeparator=","
              clampBehavior="none"
              {...field(`${at}.threshold`)}
            />
          ) : null}
          {own.windowSeconds !== undefined ? (
            <NumberInput
              label="Window (seconds)"
              description={[hints.window, window].filter(Boolean).join(': ')}
              min={ALERT_WINDOW_MIN_SECONDS}
              max={windowMaxOf(rule)}
              allowDecimal={false}
              thousandSeparator=","
              clampBehavior="none"
              {...field(`${at}.windowSeconds`)}
            />
          ) : null}
          <Select label="Severity" data={SEVERITIES} allowDeselect={false} {...field(`${at}.severity`)} />
          <Select label="Remediation" data={REMEDIATIONS} allowDeselect={false} disabled={fixed || PERSON_ALERT_RULES.includes(rule)} {...field(`${at}.remediation`)} />
        </SimpleGrid>
        {error(at) ? (
          <Text size="xs" c="red" role="alert">
            {error(at)}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}
