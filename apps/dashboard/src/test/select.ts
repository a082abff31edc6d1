import { within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';

/** Opens a select's list and clicks one of its options (the lists of other selects may be in the page too). */
export async function pickOption(user: UserEvent, input: HTMLElement, option: string): Promise<void> {
  await user.click(input);
  const list = document.getElementById(input.getAttribute('aria-controls') ?? '');
  if (!list) throw new Error('the select has no list open');
  // Still in its opening transition (jsdom runs none), so not yet accessible: clicked all the same, as a person would a moment later.
  await user.click(within(list).getByRole('option', { name: option, hidden: true }));
}
