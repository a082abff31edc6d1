import { Alert, Button, Code, List, Stack, Text } from '@mantine/core';
import { ApiError } from '../api/http';

interface ProblemAlertProps {
  error: unknown;
  /** Fields that show their own errors; the rest are listed here. */
  shownFields?: readonly string[];
  onRetry?: () => void;
}

/** Shows an API problem's detail (and field errors no field shows), or a generic message. */
export function ProblemAlert({ error, shownFields = [], onRetry }: ProblemAlertProps) {
  const problem = error instanceof ApiError ? error.problem : null;
  const otherErrors = error instanceof ApiError ? error.otherFieldErrors(shownFields) : [];

  return (
    <Alert color="red" variant="light" title={problem?.title ?? 'Something went wrong'} role="alert">
      <Stack gap="xs">
        <Text size="sm">{problem?.detail ?? 'An unexpected error occurred. Please try again.'}</Text>
        {otherErrors.length > 0 ? (
          <List size="sm">
            {otherErrors.map((e) => (
              <List.Item key={`${e.field}:${e.message}`}>
                <Code>{e.field}</Code>: {e.message}
              </List.Item>
            ))}
          </List>
        ) : null}
        {problem?.requestId ? (
          <Text size="xs" c="dimmed">
            Request ID: {problem.requestId}
          </Text>
        ) : null}
        {onRetry ? (
          <Button variant="light" color="red" size="xs" w="fit-content" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </Stack>
    </Alert>
  );
}
