import { Alert, Stack } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { PageHeader } from '../../../shared/components/PageHeader';
import { EmptyState } from '../../../shared/components/states';
import { periodOf } from '../../../shared/period/day-period';
import { selectionFromSearch, withComplianceSearch, type ComplianceSearchKey } from '../api/compliance-search';
import { EVIDENCE_LIMIT } from '../api/compliance.queries';
import { AuditBundleExport } from '../components/AuditBundleExport';
import { ComplianceFilters } from '../components/ComplianceFilters';
import { ControlsPanel } from '../components/ControlsPanel';
import { ReportsPanel } from '../components/ReportsPanel';

export function CompliancePage() {
  const can = useCan();
  const [search, setSearch] = useSearchParams();
  // Fixed at first render: "the last 30 days" must not move under a cached table while the page is open.
  const [now] = useState(() => new Date());
  const selection = useMemo(() => selectionFromSearch(search, now), [search, now]);
  const period = useMemo(() => periodOf(selection), [selection]);
  const params = useMemo(() => (period ? { framework: selection.framework, ...period, evidenceLimit: EVIDENCE_LIMIT } : null), [selection.framework, period]);

  const update = (change: Partial<Record<ComplianceSearchKey, string | null>>) => setSearch((previous) => withComplianceSearch(previous, change), { replace: true });

  if (!can('custos:reports:read')) return <EmptyState title="Your role cannot read compliance reports">Ask an owner, admin, operator or auditor.</EmptyState>;
  return (
    <>
      <PageHeader
        title="Compliance"
        description="Which token controls hold for a framework and period, the evidence behind each, signed reports to file, and the audit trail to verify offline."
      />
      <Stack>
        <ComplianceFilters selection={selection} onChange={update} />
        {params ? (
          <ControlsPanel params={params} openControlId={search.get('control')} onOpen={(id) => update({ control: id })} />
        ) : (
          <Alert color="yellow" variant="light" title="The period runs backwards">
            Pick a “To” day on or after the “From” day.
          </Alert>
        )}
        <ReportsPanel framework={selection.framework} period={period} />
        {can('custos:audit:read') ? <AuditBundleExport period={period} /> : null}
      </Stack>
    </>
  );
}
