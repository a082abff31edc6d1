import { LIVE_TOKEN_STATUSES_SQL } from './control';
import { findingsControl, plural } from './findings-control';

export const tokenOwnerControl = findingsControl({
  id: 'token-owner',
  title: 'Every token has an owner service',
  description: 'Every live token names the service that owns it, so each credential has someone accountable for it and a place its rotated secret goes.',
  mappings: {
    soc2: ['CC6.1', 'CC6.3'],
    hipaa: ['§164.312(d)'],
    pci_dss: ['8.6.3'],
    psd2: ['RTS art. 22'],
  },
  findings: () => ({
    sql: `SELECT t.id AS key, t.id AS subject, 'no owner service' AS detail,
                 jsonb_build_object('name', t.name, 'status', t.status, 'createdBy', t.created_by, 'createdVia', t.created_via) AS data
            FROM tokens t
           WHERE t.status IN ${LIVE_TOKEN_STATUSES_SQL} AND t.owner_service_id IS NULL`,
    params: [],
  }),
  summary: (found) => (found === 0 ? 'Every live token has an owner service.' : `${plural(found, 'live token')} without an owner service.`),
});
