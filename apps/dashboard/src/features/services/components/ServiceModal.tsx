import { Modal } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCreateService, useUpdateService, type Service } from '../api/services.queries';
import { ServiceForm } from './ServiceForm';

/** Creates a service (none given) or edits one, in a modal over the page that opened it. */
export function ServiceModal({ service, onClose }: { service: Service | undefined; onClose: () => void }) {
  const create = useCreateService();
  const update = useUpdateService();
  const mutation = service ? update : create;
  const saved = () => {
    notifications.show({ color: 'green', title: 'Saved', message: service ? 'The service was updated.' : 'The service was created.' });
    onClose();
  };
  return (
    <Modal opened onClose={onClose} title={service ? `Edit ${service.name}` : 'New service'} size="lg">
      <ServiceForm
        {...(service ? { service } : {})}
        pending={mutation.isPending}
        error={mutation.error}
        onCancel={onClose}
        onSubmit={(body) => (service ? update.mutate({ id: service.id, body }, { onSuccess: saved }) : create.mutate(body, { onSuccess: saved }))}
      />
    </Modal>
  );
}
