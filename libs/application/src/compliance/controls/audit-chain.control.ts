import { ChainVerifier, GENESIS_HASH, type ChainVerdict } from '@custos/domain';
import type { ComplianceRepository, Tx } from '@custos/persistence';
import type { ComplianceControl, ControlContext, EvidenceRow } from './control';

export type AuditPeriodReads = Pick<ComplianceRepository, 'auditPeriod' | 'auditHashAt' | 'sealedEventsBetween'>;

const PAGE = 2000;

interface PeriodVerdict {
  firstSeq: number | null;
  lastSeq: number | null;
  verdict: ChainVerdict | null;
  unsealed: number;
}

/**
 * One verification per evaluation: a report asks for the verdict (assess) and then for its evidence
 * row within the same transaction, and walking a million events twice doubled the report's time.
 * Keyed by the evaluation's context, so the evidence is exactly what was checked.
 */
const verdicts = new WeakMap<ControlContext, Promise<PeriodVerdict>>();

function periodVerdict(audit: AuditPeriodReads, tx: Tx, ctx: ControlContext): Promise<PeriodVerdict> {
  let verdict = verdicts.get(ctx);
  if (!verdict) {
    verdict = verifyPeriod(audit, tx, ctx);
    verdicts.set(ctx, verdict);
  }
  return verdict;
}

/**
 * Recomputes the hash chain over the sequence range of the period's events (docs/audit-chain.md),
 * starting from the hash of the event just before it, so an event altered, removed or inserted
 * anywhere in the range breaks it. Pages of events, one in memory at a time.
 */
async function verifyPeriod(audit: AuditPeriodReads, tx: Tx, ctx: ControlContext): Promise<PeriodVerdict> {
  const { firstSeq, lastSeq, unsealed } = await audit.auditPeriod(tx, ctx.from, ctx.to);
  if (firstSeq === null || lastSeq === null) return { firstSeq: null, lastSeq: null, verdict: null, unsealed };
  const before = firstSeq > 1 ? await audit.auditHashAt(tx, firstSeq - 1) : undefined;
  const verifier = new ChainVerifier({ seq: firstSeq - 1, hash: firstSeq > 1 ? (before ?? 'missing') : GENESIS_HASH });
  let after = firstSeq - 1;
  for (;;) {
    const events = await audit.sealedEventsBetween(tx, after, lastSeq, PAGE);
    for (const event of events) verifier.add(event);
    if (events.length < PAGE) break;
    after = events[events.length - 1]!.seq;
  }
  let verdict = verifier.verdict();
  // A gap at the end of the range (events removed) leaves the verifier short of lastSeq.
  if (verdict.valid && verdict.headSeq !== lastSeq) verdict = { ...verdict, valid: false, firstInvalidSeq: verdict.headSeq + 1 };
  return { firstSeq, lastSeq, verdict, unsealed };
}

function evidenceOf(result: PeriodVerdict): EvidenceRow[] {
  if (!result.verdict) return [];
  const { verdict } = result;
  return [
    {
      key: String(result.firstSeq).padStart(20, '0'),
      subject: `seq ${result.firstSeq}-${result.lastSeq}`,
      detail: verdict.valid ? `${verdict.checkedEvents} events verified` : `chain broken at seq ${verdict.firstInvalidSeq}`,
      data: {
        firstSeq: result.firstSeq,
        lastSeq: result.lastSeq,
        checkedEvents: verdict.checkedEvents,
        valid: verdict.valid,
        firstInvalidSeq: verdict.firstInvalidSeq ?? null,
        headHash: verdict.headHash,
        unsealedEvents: result.unsealed,
      },
    },
  ];
}

export const auditChainControl = (audit: AuditPeriodReads): ComplianceControl => ({
  id: 'audit-chain-integrity',
  title: 'The audit chain verifies for the period',
  description:
    'Every audit event of the period is in the hash chain: recomputing SHA-256 over each event and the previous hash, from the event before the period to its last one, matches what is stored. Events not yet sealed make it warn.',
  mappings: {
    soc2: ['CC7.2'],
    gdpr: ['Art. 30', 'Art. 32'],
    hipaa: ['§164.312(b)'],
    pci_dss: ['10.2'],
    psd2: ['RTS art. 22'],
  },
  async assess(tx, ctx) {
    const result = await periodVerdict(audit, tx, ctx);
    const { verdict } = result;
    const status = verdict && !verdict.valid ? 'fail' : result.unsealed > 0 ? 'warn' : 'pass';
    const summary = !verdict
      ? 'No audit events in the period.'
      : verdict.valid
        ? `${verdict.checkedEvents} events (seq ${result.firstSeq}-${result.lastSeq}) verify.`
        : `The chain is broken at seq ${verdict.firstInvalidSeq}.`;
    return {
      status,
      summary: result.unsealed > 0 ? `${summary} ${result.unsealed} events not yet sealed.` : summary,
      evidenceCount: verdict ? 1 : 0,
      metrics: {
        checkedEvents: verdict?.checkedEvents ?? 0,
        firstSeq: result.firstSeq,
        lastSeq: result.lastSeq,
        firstInvalidSeq: verdict?.firstInvalidSeq ?? null,
        unsealedEvents: result.unsealed,
      },
    };
  },
  async evidence(tx, ctx, after) {
    if (after !== null) return [];
    return evidenceOf(await periodVerdict(audit, tx, ctx));
  },
});
