/** @jest-environment jsdom */
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, screen, within } from '@testing-library/react';
import { renderWithApp } from '../../../test/render';
import { cellsOf, isEnabled } from '../../../test/dom';
import { tokenFixture as token } from '../../../test/token-fixtures';
import { InventoryTable } from './InventoryTable';

describe('InventoryTable', () => {
  const tokens = [token('1'), token('2', { status: 'revoked' }), token('3', { status: 'suspended' })];

  it('shows the chosen columns, the name always, linked to the token', () => {
    renderWithApp(<InventoryTable tokens={tokens} visibleColumns={['status', 'lastUsedAt']} />);
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Name', 'Status', 'Last used']);
    expect(screen.getByRole('link', { name: 'token 1' }).getAttribute('href')).toBe('/tokens/1');
    expect(screen.getAllByText('never')).toHaveLength(3);
    // Read-only callers get no selection at all.
    expect(screen.queryAllByRole('checkbox')).toHaveLength(0);
  });

  it('shows under its last use the country it came from, marking a token used across its border', () => {
    const at = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const used = [
      token('1', { lastUsedAt: at, lastUsedCountry: 'DE' }),
      token('2', { lastUsedAt: at, lastUsedCountry: 'US', lastCrossBorderAt: at, regionsSeen: ['EU', 'US'] }),
      token('3'),
    ];
    renderWithApp(<InventoryTable tokens={used} visibleColumns={['lastUsedAt', 'regionsSeen']} />);
    expect(screen.getAllByRole('row').map(cellsOf)).toEqual([
      ['Name', 'Last used', 'Regions seen'],
      ['token 1', '2 hours agofrom DE', '—'],
      ['token 2', '2 hours agofrom UScross-border', 'EU, US'],
      ['token 3', 'never', '—'],
    ]);
    // The code in the cell, the country's name in its title.
    expect(screen.getByText('from DE').getAttribute('title')).toBe('Germany (DE)');
  });

  it('selects only tokens that can still be revoked, one by one or all shown', () => {
    const onChange = jest.fn();
    renderWithApp(<InventoryTable tokens={tokens} visibleColumns={[]} selection={{ selected: new Set(), onChange }} />);
    expect((screen.getByRole('checkbox', { name: 'Select token 2' }) as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select token 3' }));
    expect(onChange).toHaveBeenLastCalledWith(new Set(['3']));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all shown tokens' }));
    expect(onChange).toHaveBeenLastCalledWith(new Set(['1', '3']));
    const row = screen.getByRole('link', { name: 'token 1' }).closest('tr')!;
    expect(isEnabled(within(row).getByRole('checkbox'))).toBe(true);
  });
});
