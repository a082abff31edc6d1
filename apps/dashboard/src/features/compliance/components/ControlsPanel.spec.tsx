/** @jest-environment jsdom */
import { describe, expect, it } from '@jest/globals';
import { fireEvent, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { controlFixture, controlTableFixture } from '../../../test/compliance-fixtures';
import { renderWithApp } from '../../../test/render';
import { cellsOf, columnOf, factOf } from '../../../test/dom';
import { complianceKeys, type ControlTableParams } from '../api/compliance.queries';
import { ControlsPanel } from './ControlsPanel';

const PARAMS: ControlTableParams = { framework: 'soc2', from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z', evidenceLimit: 20 };

const table = controlTableFixture([
  controlFixture('token-expiry-cap', { title: 'Every live token expires within the policy cap', clauses: ['CC6.1', 'CC6.2'], mappings: { soc2: ['CC6.1', 'CC6.2'], gdpr: ['Art. 32'], pci_dss: ['8.3.9'] } }),
  controlFixture('privileged-accounts', { title: 'Privileged accounts are listed and in use', status: 'warn', summary: '1 dormant owner.', evidenceCount: 2 }),
  controlFixture('token-owner', {
    title: 'Every token has an owner service',
    status: 'fail',
    summary: '3 live tokens without an owner service.',
    clauses: ['CC6.1', 'CC6.3'],
    mappings: { soc2: ['CC6.1', 'CC6.3'], hipaa: ['§164.312(d)'] },
    evidenceCount: 3,
    metrics: { findings: 3, liveTokens: 12000 },
    evidence: [
      { subject: 'tok_1', detail: 'no owner service', data: { name: 'orphan', status: 'active' } },
      { subject: 'tok_2', detail: 'no owner service', data: { name: 'legacy', status: 'suspended' } },
    ],
  }),
]);

/** The page keeps the open control in its URL; here a state stands in for it. */
function Panel() {
  const [open, setOpen] = useState<string | null>(null);
  return <ControlsPanel params={PARAMS} openControlId={open} onOpen={setOpen} />;
}

const rowOf = (id: string): HTMLElement => {
  const row = document.querySelector<HTMLElement>(`[data-control-id="${id}"]`);
  if (!row) throw new Error(`no row for ${id}`);
  return row;
};

describe('ControlsPanel', () => {
  it('shows each control with its status badge, result, evidence count and the framework’s clauses', () => {
    renderWithApp(<Panel />, [[complianceKeys.controls(PARAMS), table]]);
    const rows = within(screen.getByRole('table', { name: 'Controls' })).getAllByRole('row');
    expect(rows).toHaveLength(4);
    expect(within(screen.getByRole('table', { name: 'Controls' })).getAllByRole('columnheader').map((h) => h.textContent)).toContain('SOC 2 clauses');

    const badge = (id: string) => within(rowOf(id)).getByText(/^(pass|warn|fail)$/);
    expect([badge('token-expiry-cap'), badge('privileged-accounts'), badge('token-owner')].map((b) => b.textContent)).toEqual(['pass', 'warn', 'fail']);
    expect(cellsOf(rowOf('token-owner'))).toContain('3 live tokens without an owner service.');
    expect(within(rowOf('token-owner')).getByTestId('evidence-count').textContent).toBe('3');
    expect(within(rowOf('token-expiry-cap')).getAllByText(/^CC/).map((clause) => clause.textContent)).toEqual(['CC6.1', 'CC6.2']);
    // Clauses of other frameworks stay in the drill-down.
    expect(within(rowOf('token-expiry-cap')).queryByText('Art. 32')).toBeNull();

    expect(screen.getByTestId('summary-pass').textContent).toBe('1 pass');
    expect(screen.getByTestId('summary-warn').textContent).toBe('1 warn');
    expect(screen.getByTestId('summary-fail').textContent).toBe('1 fail');
  });

  it('opens a drill-down with the control’s description, mappings, metrics and evidence rows', async () => {
    renderWithApp(<Panel />, [[complianceKeys.controls(PARAMS), table]]);
    expect(document.querySelector('[data-control-detail]')).toBeNull();
    fireEvent.click(rowOf('token-owner'));

    const drawer = await screen.findByRole('dialog');
    const detail = within(drawer);
    expect(drawer.querySelector('[data-control-detail="token-owner"]')).not.toBeNull();
    expect(drawer.textContent).toContain('What token-owner checks.');
    expect(drawer.querySelector('[data-status]')?.textContent).toBe('fail');
    const mappings = within(detail.getByRole('table', { name: 'Mappings' })).getAllByRole('row').map(cellsOf);
    expect(mappings.map(([framework]) => framework)).toEqual(['SOC 2', 'HIPAA Security Rule']);
    expect(mappings[1]?.[1]).toBe('§164.312(d)');
    expect(factOf(drawer, 'live tokens')).toBe((12000).toLocaleString());

    const evidence = within(detail.getByRole('table', { name: 'Evidence' }));
    expect(evidence.getAllByRole('row')).toHaveLength(3);
    expect(columnOf(evidence.getByText('tok_1'))).toBe('Subject');
    // A token in the evidence is a way to it.
    expect(evidence.getByRole('link', { name: 'tok_1' }).getAttribute('href')).toBe('/tokens/tok_1');
    expect(columnOf(evidence.getByText('orphan'))).toBe('Data');
    expect(detail.getByTestId('evidence-shown').textContent).toBe('First 2 of 3 rows; a JSON or CSV report has them all.');
  });

  it('opens from the keyboard too: the title is a button', async () => {
    renderWithApp(<Panel />, [[complianceKeys.controls(PARAMS), table]]);
    fireEvent.click(within(rowOf('token-expiry-cap')).getByRole('button', { name: 'Every live token expires within the policy cap' }));
    const drawer = await screen.findByRole('dialog');
    expect(drawer.textContent).toContain('No evidence rows: nothing in the period bears on this control, or it found nothing wrong.');
  });
});
