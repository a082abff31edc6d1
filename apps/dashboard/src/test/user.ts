import userEvent, { PointerEventsCheckLevel, type UserEvent } from '@testing-library/user-event';

/**
 * user-event for the component specs, without its pointer-events check. jsdom applies none of the
 * dashboard's stylesheets, so the check (a computed style read up the tree before every pointer
 * action) can only see inline styles, and it took a sixth of the settings form's spec. What a real
 * pointer can reach is checked by the browser tests (apps/dashboard-e2e), as Playwright clicks.
 */
export function setupUser(): UserEvent {
  return userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });
}
