import { Checkbox, Group, NumberInput, SimpleGrid } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { AUTH_LIMITS, type AuthPolicyValues } from '../api/auth-policy-form';

const ROLE_CHOICES = [
  { value: 'owner', label: 'Owners' },
  { value: 'admin', label: 'Admins' },
  { value: 'operator', label: 'Operators' },
  { value: 'auditor', label: 'Auditors' },
  { value: 'viewer', label: 'Viewers' },
];

/** Which roles must use MFA, how fresh a check sensitive actions need, and how long sessions live. */
export function AuthPolicyFields({ values, field }: { values: AuthPolicyValues; field: (path: string) => GetInputPropsReturnType }) {
  const roles = field('auth.requireMfaForRoles');
  return (
    <>
      <Checkbox.Group
        label="Require two-step verification for"
        description="People of these roles without it can only set it up at their next log-in; nothing else is reachable until they do."
        value={values.requireMfaForRoles}
        onChange={roles.onChange}
        error={roles.error}
      >
        <Group mt="xs">
          {ROLE_CHOICES.map((role) => (
            <Checkbox key={role.value} value={role.value} label={role.label} />
          ))}
        </Group>
      </Checkbox.Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <NumberInput
          label="Ask for a code again after (minutes)"
          description="Issuing custos: keys, changing roles, the policy, signing keys or SSO needs a check this recent (people with MFA)."
          min={AUTH_LIMITS.stepUpMinutes.min}
          max={AUTH_LIMITS.stepUpMinutes.max}
          allowDecimal={false}
          clampBehavior="none"
          {...field('auth.stepUpMinutes')}
        />
        <NumberInput
          label="End idle sessions after (minutes)"
          description="A session unused this long ends."
          min={AUTH_LIMITS.idleMinutes.min}
          max={AUTH_LIMITS.idleMinutes.max}
          allowDecimal={false}
          clampBehavior="none"
          {...field('auth.idleMinutes')}
        />
        <NumberInput
          label="End every session after (hours)"
          description="However busy, a session ends this long after log-in."
          min={AUTH_LIMITS.absoluteHours.min}
          max={AUTH_LIMITS.absoluteHours.max}
          allowDecimal={false}
          clampBehavior="none"
          {...field('auth.absoluteHours')}
        />
      </SimpleGrid>
    </>
  );
}
