import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCan } from '../../../shared/auth/permissions';
import { useImpactDownload, type Alert, type ImpactFormat } from '../api/alerts.queries';

/**
 * The alert's token's breach impact (what it could reach, did reach, whose data, the 72-hour clock), as
 * the signed file an auditor or a data protection officer keeps; for those who read reports.
 */
export function ImpactDownload({ alert }: { alert: Alert }) {
  const can = useCan();
  const download = useImpactDownload();
  if (!alert.tokenId || !can('custos:reports:read')) return null;
  const tokenId = alert.tokenId;
  const save = (format: ImpactFormat) =>
    download.mutate(
      { tokenId, format },
      {
        onSuccess: (filename) => notifications.show({ color: 'green', message: `Saved ${filename} and its signature (${filename}.jws).` }),
        onError: () => notifications.show({ color: 'red', message: 'The breach impact report could not be made.' }),
      },
    );
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="default" loading={download.isPending}>
          Breach impact
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Signed report of this token</Menu.Label>
        <Menu.Item onClick={() => save('json')}>JSON</Menu.Item>
        <Menu.Item onClick={() => save('csv')}>CSV</Menu.Item>
        <Menu.Item onClick={() => save('pdf')}>PDF</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
