import { Code, Select, Text } from '@mantine/core';
import { useState } from 'react';
import { useCan } from '../../../shared/auth/permissions';
import { Fact } from '../../../shared/components/Fact';
import { fieldErrorsOf } from '../../../shared/forms/problem-fields';
import { useSession } from '../../session/api/session.queries';
import { stewardEmail, stewardOptions } from '../api/stewards';
import { useUsers } from '../api/users.queries';

interface StewardFieldProps {
  stewardUserId: string | null;
  /**
   * Offer a picker instead of the name: only for whoever may name a steward (custos:users:write, owners
   * and admins) on something that may still change. The API refuses anyone else anyway.
   */
  editable: boolean;
  /** A change is being saved: the picker shows the one picked, and waits. */
  pending: boolean;
  /** The last change's failure, shown on the picker. */
  error: unknown;
  /** A steward other than the current one was picked: its user id and e-mail. */
  onChange: (userId: string, email: string) => void;
}

/**
 * "Steward": the user accountable for a token or a service, by e-mail (the id in the title), or a picker
 * of the tenant's users for an owner or admin. A role that cannot list users sees the id of anyone but
 * itself.
 */
export function StewardField({ stewardUserId, editable, pending, error, onChange }: StewardFieldProps) {
  const can = useCan();
  const { user: me } = useSession();
  const users = useUsers(can('custos:users:read'));
  const [picked, setPicked] = useState<string | null>(null);

  if (!editable) {
    return (
      <Fact label="Steward">
        <StewardName id={stewardUserId} email={stewardUserId === null ? undefined : stewardEmail(stewardUserId, users.data, me)} />
      </Fact>
    );
  }
  const value = pending && picked !== null ? picked : stewardUserId;
  const options = stewardOptions(users.data, value, me);
  return (
    <Fact label="Steward">
      <Select
        aria-label="Steward"
        size="xs"
        searchable
        allowDeselect={false}
        nothingFoundMessage="No user has that e-mail"
        placeholder="Pick the accountable user"
        data={options}
        value={value}
        disabled={pending || users.isLoading}
        error={stewardError(error)}
        onChange={(id) => {
          if (id === null || id === stewardUserId) return;
          setPicked(id);
          onChange(id, options.find((o) => o.value === id)?.label ?? id);
        }}
      />
    </Fact>
  );
}

function StewardName({ id, email }: { id: string | null; email: string | undefined }) {
  if (id === null) return <>—</>;
  if (email === undefined) return <Code>{id}</Code>;
  return (
    <Text span inherit title={`user ${id}`} data-actor-id={id}>
      {email}
    </Text>
  );
}

/** The API's message about the steward (e.g. "is not a user of this organization"), else the problem's detail. */
function stewardError(error: unknown): string | null {
  if (!error) return null;
  return fieldErrorsOf(error, ['stewardUserId']).stewardUserId ?? (error instanceof Error ? error.message : 'The steward was not changed');
}
