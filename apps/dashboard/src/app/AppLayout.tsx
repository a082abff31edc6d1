import { AppShell, Burger, Button, Group, NavLink, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { NavLink as RouterNavLink, Outlet, useNavigate } from 'react-router';
import { useLogout, useSession } from '../features/session/api/session.queries';
import { hasPermission, type Permission } from '../shared/auth/permissions';

interface NavItem {
  to: string;
  label: string;
  /** Hidden when the role lacks it (the page would only show a refusal). */
  needs: Permission;
}

const NAV: NavItem[] = [
  { to: '/overview', label: 'Overview', needs: 'custos:tokens:read' },
  { to: '/alerts', label: 'Alerts', needs: 'custos:alerts:read' },
  { to: '/tokens', label: 'Tokens', needs: 'custos:tokens:read' },
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
              <NavLink key={item.to} component={RouterNavLink} to={item.to} label={item.label} onClick={close} />
            ))}
          </Stack>
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
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
