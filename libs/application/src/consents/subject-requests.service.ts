import { Inject, Injectable } from '@nestjs/common';
import { ActorRepository, BoundTokenRepository, ConsentRepository, Database } from '@custos/persistence';
import type { ActorReads } from '../accounts/actors';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { requireScope } from '../shared/require-scope';
import type { SubjectReport } from './consent-views';
import { consentDetails } from './consents.service';

export type SubjectConsentReads = Pick<ConsentRepository, 'listForSubject' | 'versionsOf'>;
export type SubjectTokenReads = Pick<BoundTokenRepository, 'boundTo'>;

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
    @Inject(ConsentRepository) private readonly consents: SubjectConsentReads,
    @Inject(BoundTokenRepository) private readonly tokens: SubjectTokenReads,
    @Inject(ActorRepository) private readonly actors: ActorReads,
  ) {}

  async report(principal: Principal, subjectRef: string, purpose: 'view' | 'export', meta: RequestMeta): Promise<SubjectReport> {
    requireScope(principal, 'custos:consents:read');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const found = await this.consents.listForSubject(tx, subjectRef);
      const consents = await consentDetails({ consents: this.consents, tokens: this.tokens, actors: this.actors }, tx, found);
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
