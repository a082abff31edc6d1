import { Button, Code, CopyButton, Group, Image, Skeleton, Stack, Text } from '@mantine/core';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { ApiError } from '../../../shared/api/http';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useSession } from '../../session/api/session.queries';
import { useConfirmTotp, useFinishEnrolment, useStartTotp, type TotpEnrolment } from '../api/security.queries';
import { CodeField, isTotpCode, normalizedCode } from './CodeField';
import { RecoveryCodesReveal } from './RecoveryCodesReveal';

/** The otpauth:// URI as a QR code, an SVG data URL (no canvas needed). */
export async function qrDataUrl(otpauthUri: string): Promise<string> {
  const svg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** The secret in groups of four, as authenticator apps let it be typed. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

function QrCode({ uri }: { uri: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void qrDataUrl(uri).then((url) => {
      if (live) setSrc(url);
    });
    return () => {
      live = false;
    };
  }, [uri]);
  return src ? <Image src={src} alt="QR code for your authenticator app" w={192} h={192} /> : <Skeleton w={192} h={192} />;
}

interface ScanAndConfirmProps {
  enrolment: TotpEnrolment;
  pending: boolean;
  error: unknown;
  onConfirm: (code: string) => void;
  onCancel?: () => void;
}

/** Step two: the QR code and the secret for manual entry, then the app's first code. */
export function ScanAndConfirm({ enrolment, pending, error, onConfirm, onCancel }: ScanAndConfirmProps) {
  const [code, setCode] = useState('');
  const [tried, setTried] = useState(false);
  const wrong = error instanceof ApiError && error.problem.code === 'INVALID_MFA' ? 'That code is not right. Check the time on your phone and try the current code.' : null;
  const invalid = tried && !isTotpCode(code) ? 'Enter the six digits your app shows' : null;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setTried(true);
        if (isTotpCode(code)) onConfirm(normalizedCode(code));
      }}
      noValidate
    >
      <Stack>
        <Text size="sm">1. Scan this QR code with an authenticator app (1Password, Google Authenticator, Microsoft Authenticator, Aegis…).</Text>
        <QrCode uri={enrolment.otpauthUri} />
        <Text size="sm">Can&apos;t scan it? Enter this key in the app instead (time-based, six digits):</Text>
        <Group gap="xs">
          <Code fz="md" aria-label="Secret key" data-testid="totp-secret" data-secret={enrolment.secret}>
            {groupedSecret(enrolment.secret)}
          </Code>
          <CopyButton value={enrolment.secret}>
            {({ copied, copy }) => (
              <Button size="xs" variant="subtle" onClick={copy}>
                {copied ? 'Copied' : 'Copy key'}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Text size="sm">2. Enter the six-digit code the app shows now.</Text>
        <CodeField value={code} onChange={setCode} error={invalid ?? wrong} />
        {error && !wrong ? <ProblemAlert error={error} /> : null}
        <Group>
          <Button type="submit" loading={pending}>
            Turn on
          </Button>
          {onCancel ? (
            <Button variant="default" onClick={onCancel} disabled={pending}>
              Cancel
            </Button>
          ) : null}
        </Group>
      </Stack>
    </form>
  );
}

interface TotpEnrolmentFlowProps {
  /** A secret was made: the enrolment is under way. */
  onStarted?: () => void;
  /** After the person saved their recovery codes; the session and MFA status are being read again. */
  onDone?: () => void;
  /** The flow was left before it ended (the Security page folds it away again). */
  onCancel?: () => void;
}

/**
 * Enrolling an authenticator app, whole: start (a new secret), scan and confirm with a first code, then
 * the ten recovery codes, once. The Security page and the enrolment screen of a restricted session both
 * use it.
 */
export function TotpEnrolmentFlow({ onStarted, onDone, onCancel }: TotpEnrolmentFlowProps) {
  const session = useSession();
  const start = useStartTotp();
  const confirm = useConfirmTotp();
  const finish = useFinishEnrolment();

  if (confirm.data) {
    return (
      <RecoveryCodesReveal
        codes={confirm.data.recoveryCodes}
        account={session.user.email}
        onDone={() => {
          void finish().then(() => onDone?.());
        }}
      />
    );
  }
  if (start.data) {
    return (
      <ScanAndConfirm
        enrolment={start.data}
        pending={confirm.isPending}
        error={confirm.error}
        onConfirm={(code) => confirm.mutate(code)}
        onCancel={
          onCancel
            ? () => {
                start.reset();
                confirm.reset();
                onCancel();
              }
            : undefined
        }
      />
    );
  }
  return (
    <Stack align="flex-start">
      <Text size="sm">
        Not set up. Use an authenticator app on your phone: after your password, Custos asks for the six-digit code it shows, so a stolen password alone no longer signs
        anyone in as you.
      </Text>
      {start.error ? <ProblemAlert error={start.error} /> : null}
      <Button loading={start.isPending} onClick={() => start.mutate(undefined, { onSuccess: () => onStarted?.() })}>
        Set up authenticator app
      </Button>
    </Stack>
  );
}
