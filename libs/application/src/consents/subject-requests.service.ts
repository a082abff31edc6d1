import { Injectable } from '@nestjs/common';
import { Database } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { requireScope } from '../shared/require-scope';
import { CONSENT_COLUMNS, type ConsentRow, type SubjectReport } from './consent-views';
import { consentDetails } from './consents.service';

/**
 * A data subject's request (GDPR Art. 15): every consent recorded for a subjectRef with its versions,
 * every token ever bound to them with its status and revocation, and usage counts. Looking a subject
 * up is itself recorded in the audit trail, in the same transaction as the read.
 */
@Injectable()
export class SubjectRequests {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
  ) {}

  async report(principal: Principal, subjectRef: string, purpose: 'view' | 'export', meta: RequestMeta): Promise<SubjectReport> {
    requireScope(principal, 'custos:consents:read');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const rows = await tx.rows<ConsentRow>(
        `SELECT ${CONSENT_COLUMNS} FROM consents c WHERE c.subject_ref = $1 ORDER BY c.valid_from, c.id`,
        [subjectRef],
      );
      const consents = await consentDetails(tx, rows);
      const tokens = consents.flatMap((c) => c.tokens);
      const report: SubjectReport = {
        subjectRef,
        generatedAt: new Date().toISOString(),
        consents,
        totals: { consents: consents.length, tokens: tokens.length, uses: tokens.reduce((n, t) => n + t.useCount, 0) },
      };
      await this.audit.record(tx, meta, {
        action: purpose === 'export' ? 'subject.exported' : 'subject.viewed',
        actor: actorOf(principal),
        target: { type: 'subject', id: subjectRef },
        data: { consents: report.totals.consents, tokens: report.totals.tokens },
      });
      return report;
    });
  }
}
