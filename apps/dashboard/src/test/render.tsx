import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';
import { sessionKeys, type Session } from '../features/session/api/session.queries';

// Browser stand-ins jsdom lacks come from apps/dashboard/jest.jsdom-setup.cjs (a jest setup file).

const OWNER_SCOPES = [
  'custos:tokens:issue',
  'custos:tokens:read',
  'custos:tokens:update',
  'custos:tokens:rotate',
  'custos:tokens:revoke',
  'custos:consents:read',
  'custos:consents:write',
  'custos:services:read',
  'custos:services:write',
  'custos:users:read',
  'custos:users:write',
  'custos:policy:read',
  'custos:policy:write',
  'custos:audit:read',
  'custos:reports:read',
  'custos:reports:write',
  'custos:usage:read',
  'custos:alerts:read',
  'custos:alerts:write',
  'custos:reviews:read',
  'custos:reviews:decide',
  'custos:reviews:write',
];

export function sessionWith(role: Session['user']['role'], scopes: string[]): Session {
  return {
    csrfToken: 'csrf',
    restriction: null,
    scopes,
    tenant: { id: 'ten_1', name: 'Acme' },
    user: { id: 'usr_1', email: 'me@acme.test', role, createdAt: '2026-01-01T00:00:00.000Z', lastLoginAt: null, mfaEnabled: false },
  };
}

/**
 * Renders inside the app's providers with a query cache seeded from `data` (key -> value), so a
 * component test never reaches for the network: queries with seeded data are fresh forever. `at` is
 * the location the router starts at, for pages that read their route's parameters.
 */
export function renderWithApp(
  ui: ReactElement,
  data: Array<[readonly unknown[], unknown]> = [],
  at = '/',
): RenderResult & { client: QueryClient } {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false }, mutations: { retry: false } } });
  client.setQueryData(sessionKeys.me(), sessionWith('owner', OWNER_SCOPES));
  for (const [key, value] of data) client.setQueryData(key, value);
  const result = render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[at]}>{ui}</MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { ...result, client };
}
