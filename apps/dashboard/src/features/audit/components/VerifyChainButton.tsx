import { Alert, Button, Stack, Text } from '@mantine/core';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useVerifyChain } from '../api/audit.queries';

/** Asks the API to recompute the tenant's hash chain and shows its verdict as given. */
export function VerifyChainButton() {
  const verify = useVerifyChain();
  const verdict = verify.data;
  return (
    <Stack gap="xs">
      <Button variant="default" loading={verify.isPending} onClick={() => verify.mutate()} w="fit-content">
        Verify chain
      </Button>
      {verdict ? (
        verdict.valid ? (
          <Alert color="green" variant="light" title="The audit chain is intact" data-testid="chain-verdict">
            <Text size="sm">
              {verdict.checkedEvents.toLocaleString()} events checked; head #{verdict.headSeq}, hash <code>{verdict.headHash.slice(0, 16)}…</code>
            </Text>
          </Alert>
        ) : (
          <Alert color="red" variant="light" title="The audit chain is broken" data-testid="chain-verdict">
            <Text size="sm">
              The first event whose hash does not match is #{verdict.firstInvalidSeq ?? '?'}. {verdict.checkedEvents.toLocaleString()} events
              checked.
            </Text>
          </Alert>
        )
      ) : null}
      {verify.error ? <ProblemAlert error={verify.error} /> : null}
    </Stack>
  );
}
