import { Alert, Button, Divider, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { SSO_SLUG_STORAGE_KEY, normalizeSlug, ssoErrorMessage, ssoStartUrl } from '../api/sso-sign-in';

/** Where the browser goes to start an SSO sign-in (a full navigation: the IdP is another site). */
export type Navigate = (url: string) => void;

const goTo: Navigate = (url) => window.location.assign(url);

function remembered(): string {
  try {
    return window.localStorage.getItem(SSO_SLUG_STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

/** "Sign in with SSO" under the log-in form: asks for the organization, remembers it, and leaves for its IdP. */
export function SsoSignIn({ error, navigate = goTo }: { error: string | null; navigate?: Navigate }) {
  const [open, setOpen] = useState(() => error !== null || remembered() !== '');
  const [slug, setSlug] = useState(remembered);
  const [missing, setMissing] = useState(false);
  const message = ssoErrorMessage(error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = normalizeSlug(slug);
    if (value === '') {
      setMissing(true);
      return;
    }
    try {
      window.localStorage.setItem(SSO_SLUG_STORAGE_KEY, value);
    } catch {
      // Private browsing: nothing remembered, the sign-in goes on.
    }
    navigate(ssoStartUrl(value));
  };

  return (
    <Stack mt="md">
      <Divider label="or" labelPosition="center" />
      {message ? (
        <Alert color="red" title="Single sign-on did not work">
          {message}
        </Alert>
      ) : null}
      {open ? (
        <form onSubmit={submit} noValidate aria-label="Sign in with SSO">
          <Stack>
            <TextInput
              label="Organization"
              description="The organization's short name your administrator gave you (Settings → Single sign-on)."
              placeholder="acme-corp"
              autoComplete="organization"
              value={slug}
              onChange={(e) => {
                setSlug(e.currentTarget.value);
                setMissing(false);
              }}
              error={missing ? 'Enter your organization' : undefined}
            />
            <Button type="submit" variant="default">
              Continue with SSO
            </Button>
          </Stack>
        </form>
      ) : (
        <Button variant="default" onClick={() => setOpen(true)}>
          Sign in with SSO
        </Button>
      )}
    </Stack>
  );
}
