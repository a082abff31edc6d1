import { userKeys, type User } from '../features/users/api/users.queries';

/** The tenant's users as GET /v1/users lists them: the signed-in owner of test/render.tsx (usr_1) first. */
export const USERS: User[] = [
  { id: 'usr_1', email: 'me@acme.test', role: 'owner', createdAt: '2026-01-01T00:00:00.000Z', lastLoginAt: null, mfaEnabled: false },
  { id: 'usr_ana', email: 'ana@acme.test', role: 'admin', createdAt: '2026-02-01T00:00:00.000Z', lastLoginAt: null, mfaEnabled: false },
  { id: 'usr_bo', email: 'bo@acme.test', role: 'operator', createdAt: '2026-03-01T00:00:00.000Z', lastLoginAt: null, mfaEnabled: false },
];

/** The users list seeded in the query cache (renderWithApp's `data`). */
export const usersSeed = (users: User[] = USERS): [readonly unknown[], unknown] => [userKeys.list(), users];
