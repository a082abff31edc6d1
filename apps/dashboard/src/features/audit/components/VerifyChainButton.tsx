import { Alert, Button, Stack, Text } from '@mantine/core';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useVerifyChain } from '../api/audit.queries';

/** Asks the API to recompute the tenant's hash chain, held against its signed checkpoints, and shows its verdict as given. */
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
              {verdict.checkedEvents.toLocaleString()} events and {(verdict.checkedCheckpoints ?? 0).toLocaleString()} signed checkpoints checked;
              head #{verdict.headSeq}, hash <code>{verdict.headHash.slice(0, 16)}…</code>
            </Text>
          </Alert>
        ) : (
          <Alert color="red" variant="light" title="The audit chain is broken" data-testid="chain-verdict">
            <Text size="sm">
              Broken at #{verdict.firstInvalidSeq ?? '?'}: {verdict.reason ?? 'its hash does not match'}. {verdict.checkedEvents.toLocaleString()} events
              checked.
            </Text>
          </Alert>
        )
      ) : null}
      {verify.error ? <ProblemAlert error={verify.error} /> : null}
    </Stack>
  );
}
