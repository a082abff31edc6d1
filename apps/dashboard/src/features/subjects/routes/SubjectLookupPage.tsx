import { Button, Group, Paper, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState } from '../../../shared/components/states';
import { SubjectReportView } from '../components/SubjectReportView';

/** Everything held about one data subject, found by the pseudonymous reference it was recorded under. */
export function SubjectLookupPage() {
  const can = useCan();
  const { subjectRef = '' } = useParams();

  if (!can('custos:consents:read')) return <EmptyState title="Your role cannot read consents">Ask an owner, admin, operator or auditor.</EmptyState>;
  return (
    <>
      <PageHeader title="Subject lookup" description="A subject's consents, their versions and every token ever bound to them, for access requests." />
      <SubjectSearch key={subjectRef} initial={subjectRef} />
      {subjectRef ? <SubjectReportView subjectRef={subjectRef} /> : null}
    </>
  );
}

function SubjectSearch({ initial }: { initial: string }) {
  const navigate = useNavigate();
  const [value, setValue] = useState(initial);
  return (
    <Paper withBorder p="md" radius="md" mb="lg">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const ref = value.trim();
          if (ref) void navigate(`/subjects/${encodeURIComponent(ref)}`);
        }}
      >
        <Group align="flex-end" gap="sm">
          <TextInput
            label="Subject reference"
            description="The pseudonymous reference the consents were recorded under"
            placeholder="e.g. cust_8f3a2c"
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
            w={360}
            maw="100%"
          />
          <Button type="submit" disabled={value.trim() === ''}>
            Look up
          </Button>
        </Group>
      </form>
    </Paper>
  );
}
