import { Alert, Anchor, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Session } from '../../session/api/session.queries';

const DISMISSED_KEY = 'custos.mfaNudgeDismissed';

/** Whether to urge the person to enrol: owners and admins hold the keys to everything, and have no second factor. */
export function needsMfaNudge(session: Session): boolean {
  return (session.user.role === 'owner' || session.user.role === 'admin') && !session.user.mfaEnabled;
}

function dismissedFor(userId: string): boolean {
  try {
    return window.localStorage.getItem(DISMISSED_KEY) === userId;
  } catch {
    return false;
  }
}

/**
 * A banner over every page for an owner or admin without MFA, until they enrol or dismiss it (remembered
 * in this browser for this person).
 */
export function MfaNudge({ session }: { session: Session }) {
  const [dismissed, setDismissed] = useState(() => dismissedFor(session.user.id));
  if (dismissed || !needsMfaNudge(session)) return null;
  return (
    <Alert
      color="yellow"
      variant="light"
      title="Protect your account with two-step verification"
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={() => {
        try {
          window.localStorage.setItem(DISMISSED_KEY, session.user.id);
        } catch {
          // Storage refused (private mode): dismissed for this page's life only.
        }
        setDismissed(true);
      }}
      mb="md"
    >
      <Text size="sm">
        As {session.user.role === 'owner' ? 'an owner' : 'an admin'}, you can issue tokens and change who has access. A password alone is easy to steal:{' '}
        <Anchor component={Link} to="/security" size="sm">
          set up an authenticator app
        </Anchor>{' '}
        on the Security page.
      </Text>
    </Alert>
  );
}
