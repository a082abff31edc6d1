import type { ControlOutcome, ControlTable, Report } from '../features/compliance/api/compliance.queries';

/** A control outcome as GET /v1/compliance/controls sends it; override what a test is about. */
export function controlFixture(id: string, over: Partial<ControlOutcome> = {}): ControlOutcome {
  return {
    id,
    title: `Control ${id}`,
    description: `What ${id} checks.`,
    clauses: ['CC6.1'],
    mappings: { soc2: ['CC6.1'] },
    status: 'pass',
    summary: `${id} holds.`,
    evidenceCount: 0,
    metrics: {},
    evidence: [],
    ...over,
  };
}

export function controlTableFixture(items: ControlOutcome[], over: Partial<ControlTable> = {}): ControlTable {
  const count = (status: ControlOutcome['status']) => items.filter((c) => c.status === status).length;
  return {
    framework: 'soc2',
    from: '2026-01-01T00:00:00.000Z',
    to: '2026-02-01T00:00:00.000Z',
    summary: { pass: count('pass'), warn: count('warn'), fail: count('fail') },
    items,
    ...over,
  };
}

export function reportFixture(id: string, over: Partial<Report> = {}): Report {
  return {
    id,
    framework: 'soc2',
    campaignId: null,
    format: 'pdf',
    from: '2026-01-01T00:00:00.000Z',
    to: '2026-02-01T00:00:00.000Z',
    status: 'done',
    requestedBy: 'usr_1',
    requestedByActor: { id: 'usr_1', kind: 'user', email: 'auditor@acme.test', name: null, removedAt: null },
    requestedAt: '2026-02-01T10:00:00.000Z',
    startedAt: '2026-02-01T10:00:01.000Z',
    finishedAt: '2026-02-01T10:00:02.000Z',
    sizeBytes: 4096,
    sha256: 'a'.repeat(64),
    kid: 'kid_1',
    summary: { pass: 8, warn: 1, fail: 1 },
    error: null,
    ...over,
  };
}
