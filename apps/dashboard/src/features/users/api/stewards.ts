import type { User } from './users.queries';

/** Who can be named: the signed-in user is always known, from the session, even to a role that cannot list users. */
type Me = Pick<User, 'id' | 'email'>;

export interface StewardOption {
  value: string;
  label: string;
}

/**
 * The e-mail of a token's or service's steward: the signed-in user's own from the session, another's
 * from the users list (custos:users:read); undefined when neither knows the id (a viewer, a list not
 * loaded yet), for the caller to show the id.
 */
export function stewardEmail(id: string, users: readonly User[] | undefined, me: Me): string | undefined {
  if (id === me.id) return me.email;
  return users?.find((u) => u.id === id)?.email;
}

/**
 * The choices of a steward picker: the tenant's users by e-mail, in the list's order; a current steward
 * the list lacks stays offered under its id, so the picker never shows an empty value for a set one.
 */
export function stewardOptions(users: readonly User[] | undefined, current: string | null, me: Me): StewardOption[] {
  const options = (users ?? []).map((u) => ({ value: u.id, label: u.email }));
  if (!options.some((o) => o.value === me.id)) options.unshift({ value: me.id, label: me.email });
  if (current !== null && !options.some((o) => o.value === current)) options.push({ value: current, label: current });
  return options;
}
