/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { MantineProvider } from '@mantine/core';
import { DateInput, DateTimePicker } from '@mantine/dates';
import { render, screen } from '@testing-library/react';
import { formatDate, formatDateTime } from '../shared/format/format';
import { theme } from './theme';

describe('the date fields under the app theme', () => {
  it('write a picked date as the pages show dates, not 02/12/2026', () => {
    const picked = new Date(2026, 11, 2, 14, 5);
    render(
      <MantineProvider theme={theme}>
        <DateTimePicker label="Valid from" value={picked} onChange={() => undefined} />
        <DateInput label="From" value={picked} onChange={() => undefined} />
      </MantineProvider>,
    );
    // The picker is a button showing its value; the input holds it as text.
    expect(screen.getByRole('button', { name: 'Valid from' }).textContent).toBe(formatDateTime(picked.toISOString()));
    expect((screen.getByRole('textbox', { name: 'From' }) as HTMLInputElement).value).toBe(formatDate(picked.toISOString()));
  });
});
