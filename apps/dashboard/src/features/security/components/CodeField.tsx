import { TextInput } from '@mantine/core';

/** What a person typed as a code, without the spaces an authenticator app shows ("123 456"). */
export function normalizedCode(typed: string): string {
  return typed.replace(/\s+/g, '');
}

/** Whether the text is a whole six-digit TOTP code. */
export function isTotpCode(typed: string): boolean {
  return /^\d{6}$/.test(normalizedCode(typed));
}

interface CodeFieldProps {
  value: string;
  onChange: (value: string) => void;
  /** Takes a recovery code too (log-in, step-up); enrolment and removal want the app's code. */
  allowRecoveryCode?: boolean;
  label?: string;
  description?: string;
  error?: string | null;
  /** Focus it on mount (a page's only field; dialogs focus theirs by data-autofocus). */
  autoFocus?: boolean;
}

/** The field of a one-time code: numeric keypad, the browser's one-time-code autofill, focused on open. */
export function CodeField({ value, onChange, allowRecoveryCode = false, label, description, error, autoFocus }: CodeFieldProps) {
  return (
    <TextInput
      label={label ?? (allowRecoveryCode ? 'Code' : 'Six-digit code')}
      description={description ?? (allowRecoveryCode ? 'From your authenticator app, or one of your recovery codes' : 'From your authenticator app')}
      autoComplete="one-time-code"
      inputMode={allowRecoveryCode ? 'text' : 'numeric'}
      maxLength={allowRecoveryCode ? 20 : 7}
      required
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={error}
      autoFocus={autoFocus}
      data-autofocus
    />
  );
}
