import { notifications } from '@mantine/notifications';
import { useCan } from '../../../shared/auth/permissions';
import { StewardField } from '../../users/components/StewardField';
import { isEditable } from '../api/edit-token.form';
import { useEditToken, type Token } from '../api/tokens.queries';

/**
 * The token's steward; an owner or admin hands it to another user here (PATCH with `stewardUserId`
 * only, so the audit event records just that), while the token may still change.
 */
export function TokenSteward({ token }: { token: Token }) {
  const can = useCan();
  const edit = useEditToken(token.id);
  return (
    <StewardField
      stewardUserId={token.stewardUserId}
      editable={isEditable(token.status) && can('custos:tokens:update') && can('custos:users:write')}
      pending={edit.isPending}
      error={edit.error}
      onChange={(stewardUserId, email) =>
        edit.mutate(
          { stewardUserId },
          { onSuccess: () => notifications.show({ color: 'green', title: 'Steward changed', message: `${email} is now accountable for "${token.name}".` }) },
        )
      }
    />
  );
}
