import type { ScopeBreadthRule } from '@custos/persistence';

/**
 * Scope names may not contain `*` (SCOPE_PATTERN), so "wildcard" here means a scope that names no
 * particular permission: an all-powerful word, or an `:all`/`:admin` suffix. A bare resource (no `:`)
 * grants every action on it and is over-broad; so is a token holding very many scopes.
 */
const ALL_POWERFUL = new Set(['all', 'admin', 'root', 'superuser', 'full', 'full_access', 'full-access', 'any']);
const ALL_SUFFIXES = [':all', ':admin', ':any', ':full', ':manage'];
export const MAX_SCOPES_PER_TOKEN = 20;

export type ScopeFinding = { kind: 'wildcard' | 'bare_resource'; scope: string } | { kind: 'too_many'; count: number };

export function scopeFindings(scopes: readonly string[]): ScopeFinding[] {
  const findings: ScopeFinding[] = [];
  for (const scope of scopes) {
    if (ALL_POWERFUL.has(scope) || ALL_SUFFIXES.some((s) => scope.endsWith(s))) findings.push({ kind: 'wildcard', scope });
    else if (!scope.includes(':')) findings.push({ kind: 'bare_resource', scope });
  }
  if (scopes.length > MAX_SCOPES_PER_TOKEN) findings.push({ kind: 'too_many', count: scopes.length });
  return findings;
}

/** The same rule for the control's query over the tokens (ComplianceRepository turns it into SQL). */
export const SCOPE_BREADTH_RULE: ScopeBreadthRule = { allPowerful: [...ALL_POWERFUL], allSuffixes: ALL_SUFFIXES, maxScopes: MAX_SCOPES_PER_TOKEN };
