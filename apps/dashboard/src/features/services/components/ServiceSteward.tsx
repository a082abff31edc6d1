import { notifications } from '@mantine/notifications';
import { useCan } from '../../../shared/auth/permissions';
import { StewardField } from '../../users/components/StewardField';
import { useUpdateService, type Service } from '../api/services.queries';

/** The service's steward; an owner or admin hands it to another user here (PATCH with `stewardUserId` only). */
export function ServiceSteward({ service }: { service: Service }) {
  const can = useCan();
  const update = useUpdateService();
  return (
    <StewardField
      stewardUserId={service.stewardUserId}
      editable={can('custos:services:write') && can('custos:users:write')}
      pending={update.isPending}
      error={update.error}
      onChange={(stewardUserId, email) =>
        update.mutate(
          { id: service.id, body: { stewardUserId } },
          { onSuccess: () => notifications.show({ color: 'green', title: 'Steward changed', message: `${email} is now accountable for ${service.name}.` }) },
        )
      }
    />
  );
}
