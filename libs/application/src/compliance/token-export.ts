import { Inject, Injectable } from '@nestjs/common';
import { ActorRepository, Database, TokenExportRepository, type TokenExportCursor } from '@custos/persistence';
import { describeTokenSearch, parseTokenSearch } from '@custos/domain';
import type { ActorReads } from '../accounts/actors';
import type { Principal, RequestMeta } from '../auth/principal';
import { AuditLog, actorOf } from '../audit/audit-log';
import { csvCell, csvLines } from '../shared/csv';
import { requireScope } from '../shared/require-scope';
import type { TokenFilter } from '../tokens/token-query.service';
import { tokenViews, type TokenView } from '../tokens/token-view';

export const TOKEN_EXPORT_FORMATS = ['csv', 'json'] as const;
export type TokenExportFormat = (typeof TOKEN_EXPORT_FORMATS)[number];
export type TokenExportFilter = Omit<TokenFilter, 'cursor' | 'limit'>;

const PAGE = 1000;

/** The columns of the CSV export: the token's public view, nothing secret (no hash, no pepper id). */
export const TOKEN_EXPORT_COLUMNS = [
  'id', 'name', 'environment', 'lookupId', 'hint', 'status', 'scopes', 'ownerServiceId', 'createdBy', 'createdVia', 'notBefore',
  'expiresAt', 'graceEndsAt', 'revokedAt', 'revokedBy', 'revokedReason', 'suspendedAt', 'suspendedReason', 'rotationIntervalSeconds',
  'nextRotationAt', 'rotatedFromId', 'rootId', 'allowedCidrs', 'consentId', 'dataCategories', 'lastUsedAt', 'useCount', 'createdAt',
  'metadata',
] as const satisfies ReadonlyArray<keyof TokenView>;

/**
 * GET /v1/tokens/export: the tokens matching the list's filters, newest first, as CSV or a JSON array.
 * Read in keyset pages, each in its own short transaction, and written as they come.
 */
@Injectable()
export class TokenExport {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    @Inject(TokenExportRepository) private readonly tokens: Pick<TokenExportRepository, 'page'>,
    @Inject(ActorRepository) private readonly actors: ActorReads,
  ) {}

  /** Records the export (tokens.exported) and answers its chunks to stream. */
  async export(principal: Principal, filter: TokenExportFilter, format: TokenExportFormat, meta: RequestMeta): Promise<AsyncIterable<string>> {
    requireScope(principal, 'custos:tokens:read');
    await this.db.tenant(principal.tenantId, (tx) =>
      this.audit.record(tx, meta, {
        action: 'tokens.exported',
        actor: actorOf(principal),
        data: { format, filter: auditedFilter(filter) },
      }),
    );
    return format === 'csv' ? this.csv(principal, filter) : this.json(principal, filter);
  }

  private async *csv(principal: Principal, filter: TokenExportFilter): AsyncGenerator<string> {
    yield csvLines([TOKEN_EXPORT_COLUMNS]);
    for await (const page of this.pages(principal, filter)) {
      yield csvLines(page.map((t) => TOKEN_EXPORT_COLUMNS.map((c) => csvCell(t[c]))));
    }
  }

  private async *json(principal: Principal, filter: TokenExportFilter): AsyncGenerator<string> {
    let first = true;
    yield '[';
    for await (const page of this.pages(principal, filter)) {
      const body = page.map((t) => `\n${JSON.stringify(t)}`).join(',');
      yield first ? body : `,${body}`;
      first = false;
    }
    yield '\n]\n';
  }

  private async *pages(principal: Principal, filter: TokenExportFilter): AsyncGenerator<TokenView[]> {
    let after: TokenExportCursor | null = null;
    for (;;) {
      const cursor: TokenExportCursor | null = after;
      const { views, next }: { views: TokenView[]; next: TokenExportCursor | null } = await this.db.tenant(principal.tenantId, async (tx) => {
        const page = await this.tokens.page(tx, filter, cursor, PAGE);
        return { views: await tokenViews(this.actors, tx, page.tokens), next: page.next };
      });
      if (views.length > 0) yield views;
      if (views.length < PAGE) return;
      after = next;
    }
  }
}

/** The filter as the audit event keeps it: a pasted token in `q` is kept as its displayed prefix only. */
function auditedFilter(filter: TokenExportFilter): Record<string, unknown> {
  const kept = JSON.parse(JSON.stringify(filter)) as Record<string, unknown>;
  if (typeof filter.q === 'string') kept['q'] = describeTokenSearch(parseTokenSearch(filter.q));
  return kept;
}
