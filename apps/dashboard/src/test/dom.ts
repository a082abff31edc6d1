// What a component spec asserts about the page it rendered. Testing Library's getBy* queries throw when
// nothing matches, so `expect(getByText(x)).toBeTruthy()` proves nothing the query did not; these read
// the relation that matters instead: which column a value is in, which field an error belongs to.

/** The texts of a table row's cells, in column order. */
export function cellsOf(row: Element): string[] {
  return Array.from(row.children)
    .filter((cell) => cell.tagName === 'TD' || cell.tagName === 'TH')
    .map((cell) => cell.textContent?.trim() ?? '');
}

/** The header of the column whose cell holds `element`. */
export function columnOf(element: Element): string {
  const cell = element.closest('td, th');
  const table = cell?.closest('table');
  if (!cell?.parentElement || !table) throw new Error('the element is not in a table cell');
  const index = Array.from(cell.parentElement.children).indexOf(cell);
  const headers = table.querySelector('thead tr');
  if (!headers) throw new Error('the table has no header row');
  return cellsOf(headers)[index] ?? '';
}

/** The value a Fact (shared/components/Fact.tsx) shows under `label` inside `container`. */
export function factOf(container: HTMLElement, label: string): string {
  const labels = Array.from(container.querySelectorAll('p')).filter((p) => p.textContent === label);
  if (labels.length !== 1) throw new Error(`${labels.length} facts labelled "${label}"`);
  return labels[0]!.nextElementSibling?.textContent ?? '';
}

/** The error message a Mantine field carries (aria-invalid and aria-describedby), or null when it has none. */
export function fieldErrorOf(field: HTMLElement): string | null {
  if (field.getAttribute('aria-invalid') !== 'true') return null;
  return describedErrorOf(field);
}

/** The error message a Mantine group of inputs (Checkbox.Group, role "group") announces, or null. */
export function groupErrorOf(group: HTMLElement): string | null {
  return describedErrorOf(group);
}

function describedErrorOf(element: HTMLElement): string | null {
  const ids = (element.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((id) => id.endsWith('-error'));
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ') || null;
}

/** The title of a dialog, as assistive technology announces it (aria-labelledby). */
export function dialogTitleOf(dialog: HTMLElement): string | null {
  const id = dialog.getAttribute('aria-labelledby');
  return id ? (document.getElementById(id)?.textContent ?? null) : null;
}

/** Whether a button can be pressed now. */
export function isEnabled(button: HTMLElement): boolean {
  return !(button as HTMLButtonElement).disabled && !button.hasAttribute('data-disabled');
}

/** The error message a Mantine PasswordInput carries (its inner input is marked data-invalid, not aria-invalid), or null. */
export function passwordErrorOf(input: HTMLElement): string | null {
  if (input.getAttribute('data-invalid') !== 'true') return null;
  return describedErrorOf(input);
}
