import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../../../shared/api/http';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { ErrorState, LoadingState } from '../../../shared/components/states';
import { formatDateTime } from '../../../shared/format/format';
import { useSession } from '../../session/api/session.queries';
import { LOW_RECOVERY_CODES } from '../api/session-format';
import { useMfaStatus, useRegenerateRecoveryCodes, useRemoveTotp, type MfaStatus } from '../api/security.queries';
import { CodeField, normalizedCode } from './CodeField';
import { RecoveryCodesReveal } from './RecoveryCodesReveal';
import { TotpEnrolmentFlow } from './TotpEnrolment';

export function SecurityCard({ title, description, badge, children }: { title: string; description: string; badge?: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder p="lg" radius="md" role="region" aria-label={title}>
      <Stack>
        <div>
          <Group gap="xs">
            <Title order={2} size="h4">
              {title}
            </Title>
            {badge}
          </Group>
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        </div>
        {children}
      </Stack>
    </Paper>
  );
}

interface CodeModalProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  pending: boolean;
  error: unknown;
  onConfirm: (code: string) => void;
  onClose: () => void;
}

/** Asks for a current code from the app before a change to MFA itself. */
function CodeModal({ title, children, confirmLabel, danger, pending, error, onConfirm, onClose }: CodeModalProps) {
  const [code, setCode] = useState('');
  const [tried, setTried] = useState(false);
  const wrong = error instanceof ApiError && error.problem.code === 'INVALID_MFA' ? 'That code is not right, or it was used already.' : null;
  return (
    <Modal opened onClose={onClose} title={<Text fw={600}>{title}</Text>} centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setTried(true);
          if (normalizedCode(code)) onConfirm(normalizedCode(code));
        }}
        noValidate
      >
        <Stack>
          <Text size="sm">{children}</Text>
          <CodeField value={code} onChange={setCode} allowRecoveryCode error={tried && !normalizedCode(code) ? 'Enter a code' : wrong} />
          {error && !wrong ? <ProblemAlert error={error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={pending}>
              Cancel
            </Button>
            <Button type="submit" color={danger ? 'red' : undefined} loading={pending}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The authenticator app part of the Security page: its status, enrolment, recovery codes and removal. */
export function TotpCard() {
  const status = useMfaStatus();
  return (
    <SecurityCard
      title="Authenticator app"
      description="A six-digit code from an app on your phone, asked after your password and before sensitive actions."
      badge={
        status.data ? (
          <Badge color={status.data.totp.enabled ? 'green' : 'gray'} variant="light">
            {status.data.totp.enabled ? 'On' : 'Off'}
          </Badge>
        ) : null
      }
    >
      {status.isPending ? (
        <LoadingState label="Loading your sign-in methods…" />
      ) : status.isError ? (
        <ErrorState error={status.error} onRetry={() => void status.refetch()} />
      ) : (
        <TotpStatus status={status.data} />
      )}
    </SecurityCard>
  );
}

/** What the card shows for a status: enrolment when off; facts, recovery codes and removal when on. */
export function TotpStatus({ status }: { status: MfaStatus }) {
  const session = useSession();
  const [enrolling, setEnrolling] = useState(false);
  const [asking, setAsking] = useState<'remove' | 'regenerate' | null>(null);
  const remove = useRemoveTotp();
  const regenerate = useRegenerateRecoveryCodes();
  const close = () => {
    setAsking(null);
    remove.reset();
  };

  // Kept while enrolling, whatever the status says: confirming turns it on before the recovery codes are put away.
  if (enrolling || !status.totp.enabled) {
    return (
      <TotpEnrolmentFlow
        onStarted={() => setEnrolling(true)}
        onDone={() => {
          setEnrolling(false);
          notifications.show({ color: 'green', title: 'Two-step verification is on', message: 'Your next log-in asks for a code.' });
        }}
        onCancel={() => setEnrolling(false)}
      />
    );
  }

  if (regenerate.data) {
    return <RecoveryCodesReveal codes={regenerate.data.recoveryCodes} account={session.user.email} onDone={() => regenerate.reset()} />;
  }

  const left = status.recoveryCodesLeft;
  return (
    <Stack>
      <Text size="sm">On since {formatDateTime(status.totp.enabledAt)}.</Text>
      <Text size="sm" data-testid="recovery-codes-left">
        {left} of 10 recovery codes left.
      </Text>
      {left <= LOW_RECOVERY_CODES ? (
        <Alert color={left === 0 ? 'red' : 'yellow'} variant="light" title={left === 0 ? 'No recovery codes left' : 'Few recovery codes left'}>
          If you lose your phone, a recovery code is the only way back in. Make new ones now.
        </Alert>
      ) : null}
      <Group>
        <Button variant="default" onClick={() => setAsking('regenerate')}>
          New recovery codes
        </Button>
        <Button variant="subtle" color="red" onClick={() => setAsking('remove')}>
          Turn off
        </Button>
      </Group>
      {asking === 'regenerate' ? (
        <CodeModal
          title="Make new recovery codes?"
          confirmLabel="Make new codes"
          pending={regenerate.isPending}
          error={regenerate.error}
          onClose={() => {
            setAsking(null);
            regenerate.reset();
          }}
          onConfirm={(code) => regenerate.mutate(code, { onSuccess: () => setAsking(null) })}
        >
          Your current recovery codes stop working, and ten new ones are shown once.
        </CodeModal>
      ) : null}
      {asking === 'remove' ? (
        <CodeModal
          title="Turn off the authenticator app?"
          confirmLabel="Turn off"
          danger
          pending={remove.isPending}
          error={remove.error}
          onClose={close}
          onConfirm={(code) =>
            remove.mutate(code, {
              onSuccess: () => {
                close();
                notifications.show({ color: 'green', title: 'Authenticator app removed', message: 'Log-in asks for your password only.' });
              },
            })
          }
        >
          Log-in then asks for your password only, and your recovery codes stop working. If your organization requires MFA for your role, you will have to set it up again.
        </CodeModal>
      ) : null}
    </Stack>
  );
}
