import { AppShell, Badge, Burger, Button, Divider, Group, NavLink, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, NavLink as RouterNavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { usePendingReviewCount } from '../features/reviews/api/reviews.queries';
import { MfaNudge } from '../features/security/components/MfaNudge';
import { useLogout, useSession } from '../features/session/api/session.queries';
import { hasPermission, type Permission } from '../shared/auth/permissions';

interface NavItem {
  to: string;
  label: string;
  /** Hidden when the role lacks it (the page would only show a refusal). */
  needs: Permission;
  /** Active on this path only, not on the pages under it (My reviews, beside the campaigns under it). */
  end?: boolean;
}

const NAV: NavItem[] = [
  { to: '/overview', label: 'Overview', needs: 'custos:tokens:read' },
  { to: '/alerts', label: 'Alerts', needs: 'custos:alerts:read' },
  { to: '/tokens', label: 'Tokens', needs: 'custos:tokens:read' },
  { to: '/reviews', label: 'My reviews', needs: 'custos:reviews:decide', end: true },
  { to: '/reviews/campaigns', label: 'Access reviews', needs: 'custos:reviews:read' },
  { to: '/usage', label: 'Usage', needs: 'custos:usage:read' },
  { to: '/consents', label: 'Consents', needs: 'custos:consents:read' },
  { to: '/subjects', label: 'Subject lookup', needs: 'custos:consents:read' },
  { to: '/services', label: 'Services', needs: 'custos:services:read' },
  { to: '/webhooks', label: 'Webhooks', needs: 'custos:webhooks:read' },
  { to: '/users', label: 'Users and roles', needs: 'custos:users:read' },
  { to: '/compliance', label: 'Compliance', needs: 'custos:reports:read' },
  { to: '/audit', label: 'Audit log', needs: 'custos:audit:read' },
  { to: '/settings', label: 'Settings', needs: 'custos:policy:read' },
];

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const session = useSession();
  const location = useLocation();
  const pending = usePendingReviewCount(hasPermission(session.scopes, 'custos:reviews:read'));

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={2} size="h4">
              Custos
            </Title>
            <Text size="sm" c="dimmed" visibleFrom="xs">
              {session.tenant.name}
            </Text>
          </Group>
          <UserMenu email={session.user.email} role={session.user.role} />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <ScrollArea>
          <Stack gap={2}>
            {NAV.filter((item) => hasPermission(session.scopes, item.needs)).map((item) => (
              <NavLink
                key={item.to}
                component={RouterNavLink}
                to={item.to}
                end={item.end}
                label={item.label}
                onClick={close}
                rightSection={item.to === '/reviews' && pending.data && pending.data.count > 0 ? <PendingBadge {...pending.data} /> : null}
              />
            ))}
          </Stack>
          <Divider my="xs" label="Me" labelPosition="left" />
          {/* The person's own settings: every role has them. */}
          <NavLink component={RouterNavLink} to="/security" label="Security" onClick={close} />
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        {location.pathname === '/security' ? null : <MfaNudge session={session} />}
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

/** How many review items wait for the signed-in user; "200+" past one page. */
function PendingBadge({ count, capped }: { count: number; capped: boolean }) {
  return (
    <Badge size="sm" variant="filled" circle={count < 10 && !capped} aria-label={`${count}${capped ? '+' : ''} pending`}>
      {count}
      {capped ? '+' : ''}
    </Badge>
  );
}

function UserMenu({ email, role }: { email: string; role: string }) {
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <Group gap="sm" wrap="nowrap">
      <Stack gap={0} align="flex-end" visibleFrom="sm">
        <Text size="sm">{email}</Text>
        <Text size="xs" c="dimmed">
          {role}
        </Text>
      </Stack>
      <Button component={Link} to="/security" variant="subtle" size="xs">
        Security
      </Button>
      <Button
        variant="default"
        size="xs"
        loading={logout.isPending}
        onClick={() => logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) })}
      >
        Log out
      </Button>
    </Group>
  );
}
