import { ActionIcon, Alert, Button, CopyButton, Group, Modal, Select, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { fieldErrorsOf } from '../../../shared/forms/problem-fields';
import { formatDateTime } from '../../../shared/format/format';
import { useInvite, type CreatedInvitation } from '../../invitations/api/invitations.queries';
import type { Role } from '../api/users.queries';

const FIELDS = ['email', 'role'] as const;

/**
 * Invites a person with a role: they choose their own password on the page the link opens. The link is
 * shown once, here; it is also e-mailed when the server has a mail server.
 */
export function InviteUserModal({ choices, onClose }: { choices: Array<{ value: Role; label: string }>; onClose: () => void }) {
  const invite = useInvite();
  const form = useForm<{ email: string; role: Role }>({
    initialValues: { email: '', role: 'viewer' },
    validate: { email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter a valid e-mail address') },
  });
  const server = fieldErrorsOf(invite.error, FIELDS);
  return (
    <Modal opened onClose={onClose} title={invite.data ? 'Invitation created' : 'Invite a person'} size="lg">
      {invite.data ? (
        <InvitationLink invitation={invite.data} onClose={onClose} />
      ) : (
        <form onSubmit={form.onSubmit((v) => invite.mutate({ email: v.email.trim(), role: v.role }))} noValidate>
          <Stack>
            <Text size="sm" c="dimmed">
              They get a link, valid 72 hours, to choose their own password and sign in with this role.
            </Text>
            <TextInput label="E-mail" type="email" required {...form.getInputProps('email')} error={form.errors.email ?? server.email} />
            <Select label="Role" data={choices} allowDeselect={false} {...form.getInputProps('role')} error={form.errors.role ?? server.role} />
            {invite.error ? <ProblemAlert error={invite.error} shownFields={FIELDS} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={invite.isPending}>
                Invite
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** The link, shown this once with a copy button. */
function InvitationLink({ invitation, onClose }: { invitation: CreatedInvitation; onClose: () => void }) {
  return (
    <Stack>
      <Text size="sm">
        {invitation.emailed ? (
          <>
            We e-mailed this link to <b>{invitation.email}</b>. You can also give it to them yourself:
          </>
        ) : (
          <>
            Give this link to <b>{invitation.email}</b> (no e-mail is sent: this server has no mail server configured):
          </>
        )}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <TextInput value={invitation.url} readOnly aria-label="Invitation link" style={{ flex: 1 }} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton value={invitation.url}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy the link'} withArrow>
              <ActionIcon variant="light" size="lg" onClick={copy} aria-label={copied ? 'Copied' : 'Copy the link'} color={copied ? 'teal' : undefined}>
                {copied ? '✓' : '⧉'}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
      <Alert color="yellow" variant="light">
        This is the only time the link is shown. It works once, until {formatDateTime(invitation.expiresAt)}, and makes whoever opens it{' '}
        {withArticle(invitation.role)}: send it only to {invitation.email}.
      </Alert>
      <Group justify="flex-end">
        <Button onClick={onClose}>Done</Button>
      </Group>
    </Stack>
  );
}

const withArticle = (role: string): string => `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
