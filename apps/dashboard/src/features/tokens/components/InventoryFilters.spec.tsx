/** @jest-environment jsdom */
import { describe, expect, it, jest } from '@jest/globals';
import { screen, within } from '@testing-library/react';
import { setupUser } from '../../../test/user';
import { renderWithApp } from '../../../test/render';
import { REGIONS } from '../../../test/usage-fixtures';
import type { FilterUpdate } from '../api/inventory-params';
import { InventoryFilters } from './InventoryFilters';

function renderFilters(search = '') {
  const onFilter = jest.fn<(update: FilterUpdate) => void>();
  renderWithApp(<InventoryFilters search={new URLSearchParams(search)} services={[]} regions={REGIONS} onFilter={onFilter} onClear={() => undefined} />);
  return onFilter;
}

/** The options of the list a combobox opened. */
function optionsOf(input: HTMLElement): HTMLElement[] {
  const list = document.getElementById(input.getAttribute('aria-controls') ?? '');
  if (!list) throw new Error('no list open');
  return within(list).queryAllByRole('option', { hidden: true });
}

describe('InventoryFilters: where tokens were used', () => {
  it('filters by a region picked, or by a country typed as its code', async () => {
    const user = setupUser();
    const onFilter = renderFilters();
    const usedIn = screen.getByRole('combobox', { name: 'Used in' });
    await user.click(usedIn);
    expect(optionsOf(usedIn).map((o) => o.textContent)).toEqual([
      'EU — European Union',
      'UK — United Kingdom',
      'US — United States',
      'EFTA — European Free Trade Association',
    ]);
    await user.type(usedIn, 'de');
    const [germany] = optionsOf(usedIn);
    expect(germany?.textContent).toBe('DE — Germany');
    await user.click(germany!);
    expect(onFilter).toHaveBeenLastCalledWith({ usedIn: 'DE' });
  });

  it('shows the filters of the URL, and narrows to tokens used across their border', async () => {
    const user = setupUser();
    const onFilter = renderFilters('usedIn=CH&crossBorder=true');
    expect((screen.getByRole('combobox', { name: 'Used in' }) as HTMLInputElement).value).toBe('CH — Switzerland');
    const crossBorder = screen.getByRole('switch', { name: 'Cross-border only' }) as HTMLInputElement;
    expect(crossBorder.checked).toBe(true);
    await user.click(crossBorder);
    expect(onFilter).toHaveBeenLastCalledWith({ crossBorder: null });
  });
});
