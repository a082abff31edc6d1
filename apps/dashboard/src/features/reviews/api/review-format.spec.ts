import { describe, expect, it } from '@jest/globals';
import {
  campaignFormDefaults,
  defaultNarrowScopes,
  progressParts,
  reviewerSummary,
  scopeSummary,
  toCampaignRequest,
  validateCampaignForm,
  type CampaignFormValues,
} from './review-format';

// Local dates: the date picker picks days in the browser's time zone, whatever the machine's is.
const NOW = new Date(2026, 11, 3, 15, 30);

const values = (over: Partial<CampaignFormValues> = {}): CampaignFormValues => ({ ...campaignFormDefaults('suspend', 14, NOW), name: 'Q4', ...over });

describe('scopeSummary', () => {
  it('reads all tokens, or every criterion given with services by name', () => {
    expect(scopeSummary({ all: true })).toBe('All active tokens');
    expect(scopeSummary({ serviceIds: ['svc_1'], dataCategories: ['personal', 'health'], scopesAny: ['patients:write'] }, () => 'payments')).toBe(
      'Tokens of services payments; data categories personal, health; any scope of patients:write',
    );
  });
});

describe('reviewerSummary', () => {
  it("names each token's steward, or the one reviewer by e-mail when known", () => {
    expect(reviewerSummary('steward')).toBe("Each token's steward");
    expect(reviewerSummary({ userId: 'usr_ana' }, (id) => (id === 'usr_ana' ? 'ana@acme.test' : undefined))).toBe('ana@acme.test');
    expect(reviewerSummary({ userId: 'usr_gone' })).toBe('usr_gone');
  });
});

describe('progressParts', () => {
  it('counts every decision as decided and draws overdue apart', () => {
    expect(progressParts({ total: 8, pending: 3, overdue: 2, decided: { keep: 1, narrow: 1, revoke: 1 } })).toEqual({
      decided: 3,
      total: 8,
      decidedPercent: 37.5,
      overduePercent: 25,
    });
  });

  it('draws nothing for a campaign without items', () => {
    expect(progressParts({ total: 0, pending: 0, overdue: 0, decided: { keep: 0, narrow: 0, revoke: 0 } })).toMatchObject({ decidedPercent: 0, overduePercent: 0 });
  });
});

describe('defaultNarrowScopes', () => {
  it("keeps the scopes used in 90 days, in the token's order", () => {
    expect(defaultNarrowScopes({ tokenScopes: ['a:read', 'a:write', 'b:read'], scopesUsed90d: ['b:read', 'a:read'] })).toEqual(['a:read', 'b:read']);
    expect(defaultNarrowScopes({ tokenScopes: ['a:read'], scopesUsed90d: [] })).toEqual([]);
  });
});

describe('validateCampaignForm', () => {
  it('asks for a name, a criterion when not all tokens, a future due day and the user when one reviews', () => {
    expect(validateCampaignForm(values(), NOW)).toEqual({});
    expect(validateCampaignForm(values({ name: '  ', scopeKind: 'criteria', dueDay: '2026-12-02', reviewerKind: 'user' }), NOW)).toEqual({
      name: 'Name the campaign',
      scopeKind: 'Give at least one service, data category or scope',
      dueDay: 'The due date must be in the future',
      reviewerUserId: 'Pick the reviewer',
    });
    expect(validateCampaignForm(values({ dueDay: null }), NOW).dueDay).toBe('Pick the due date');
    // Today is due at its end: still in the future.
    expect(validateCampaignForm(values({ dueDay: '2026-12-03' }), NOW)).toEqual({});
  });
});

describe('toCampaignRequest', () => {
  it('sends all tokens alone, each token reviewed by its steward, due at the end of the local day', () => {
    expect(toCampaignRequest(values({ name: ' Q4 ', dueDay: '2026-12-17' }))).toEqual({
      name: 'Q4',
      scope: { all: true },
      dueAt: new Date(2026, 11, 17, 23, 59, 59, 999).toISOString(),
      reviewer: 'steward',
      onOverdue: 'suspend',
    });
  });

  it('sends only the criteria given, and the one reviewer', () => {
    const body = toCampaignRequest(values({ scopeKind: 'criteria', dataCategories: ['personal'], serviceIds: ['svc_1'], reviewerKind: 'user', reviewerUserId: 'usr_ana' }));
    expect([body.scope, body.reviewer]).toEqual([{ serviceIds: ['svc_1'], dataCategories: ['personal'] }, { userId: 'usr_ana' }]);
  });
});
