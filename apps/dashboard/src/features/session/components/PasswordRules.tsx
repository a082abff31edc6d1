import { List, Text } from '@mantine/core';
import { PASSWORD_MIN_LENGTH } from '@custos/contracts';

/** The password rules the API applies (docs/security.md#passwords), said before the person types. */
export function PasswordRules() {
  return (
    <div>
      <Text size="sm" fw={500}>
        Your password must
      </Text>
      <List size="sm" c="dimmed" aria-label="Rules for the password">
        <List.Item>be at least {PASSWORD_MIN_LENGTH} characters long (a few words make a good one)</List.Item>
        <List.Item>not be one of the 100,000 most common passwords</List.Item>
        <List.Item>not be or contain your e-mail address</List.Item>
      </List>
    </div>
  );
}

/** The length rule, checked before sending; the API checks all of them. */
export function passwordLengthError(password: string): string | null {
  return [...password].length >= PASSWORD_MIN_LENGTH ? null : `Use at least ${PASSWORD_MIN_LENGTH} characters`;
}
