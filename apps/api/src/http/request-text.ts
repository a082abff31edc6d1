import { ErrorCode, type FieldError } from '@custos/contracts';
import { DomainError, containsSecret } from '@custos/domain';
import { MAX_JSON_DEPTH } from './json-body';

/**
 * The rules every string of a request obeys: body values at any depth and object keys, query
 * parameters and path parameters. They are checked once per request, before class-validator, by the
 * global validation pipe (validation.ts) and by the verify route, so no DTO field needs a decorator
 * for them; docs/api.md ("Text in requests") lists the rules and every field exempt from them.
 *
 * - Well-formed Unicode without control characters (U+0000–U+001F, U+007F–U+009F): Postgres refuses
 *   NUL and lone surrogates (a 500, before this), and the others have no place in a name, an e-mail,
 *   a scope or a reason. Tab, CR and LF only in fields marked `@AllowLineBreaks()`.
 * - No Custos token or session token (SECRET_IN_TEXT): what a request writes goes into the
 *   append-only audit trail for good, where a pasted secret could never be removed.
 *
 * A mark on a field holds for everything nested in it (metadata's values, at any depth); object keys
 * never allow line breaks. Marks are read from the DTO class of the body or query (inherited fields
 * included), on its top-level fields: a nested DTO's own marks are not followed.
 */

interface TextRule {
  /** Tab, CR and LF allowed. */
  lineBreaks: boolean;
  /** A token may be in it on purpose (SECRET_IN_TEXT does not apply). */
  secret: boolean;
  /** An opaque secret: nothing at all is checked (not even control characters). */
  opaque: boolean;
}

const DEFAULT_RULE: TextRule = { lineBreaks: false, secret: false, opaque: false };
type DtoClass = abstract new (...args: never[]) => unknown;

const ownRules = new WeakMap<object, Map<string, TextRule>>();
const resolvedRules = new WeakMap<object, ReadonlyMap<string, TextRule>>();

function mark(change: Partial<TextRule>): PropertyDecorator {
  return (prototype, key) => {
    if (typeof key !== 'string') throw new Error('text rules apply to named fields');
    const owner = prototype.constructor;
    const rules = ownRules.get(owner) ?? new Map<string, TextRule>();
    rules.set(key, { ...DEFAULT_RULE, ...rules.get(key), ...change });
    ownRules.set(owner, rules);
  };
}

/** Multi-line text: tab, CR and LF are allowed in this field (descriptions, metadata values). */
export const AllowLineBreaks = (): PropertyDecorator => mark({ lineBreaks: true });

/**
 * This field carries a secret on purpose (a password, the token POST /v1/verify checks, a leaked
 * token being reported): neither rule applies to it. `why` is for the reader; the field's value must
 * never be stored or logged as text (hash it, compare it, or look it up by its public part).
 * With `{ text: true }` only SECRET_IN_TEXT is lifted and the field stays text: no control
 * characters, well-formed Unicode (a search that may be a pasted token).
 */
export const AllowSecret =
  (why: string, options: { text?: boolean } = {}): PropertyDecorator =>
  (prototype, key) => {
    if (why.trim() === '') throw new Error(`@AllowSecret on ${String(key)} needs a reason`);
    mark({ secret: true, opaque: options.text !== true })(prototype, key);
  };

/** A DTO's marks, its base classes' included (a subclass's own mark wins). */
function rulesOf(dto: DtoClass | undefined): ReadonlyMap<string, TextRule> | undefined {
  if (!dto) return undefined;
  let resolved = resolvedRules.get(dto);
  if (!resolved) {
    const chain: object[] = [];
    for (let c: object | null = dto; c && c !== Function.prototype; c = Object.getPrototypeOf(c) as object | null) chain.unshift(c);
    const merged = new Map<string, TextRule>();
    for (const c of chain) ownRules.get(c)?.forEach((rule, key) => merged.set(key, rule));
    resolved = merged;
    resolvedRules.set(dto, resolved);
  }
  return resolved.size > 0 ? resolved : undefined;
}

// Unicode's Cc category is exactly C0, DEL and C1; `[^\P{Cc}\t\n\r]` is Cc less tab, LF and CR. A lone
// surrogate (Cs) only matches in `u` mode when it is not half of a pair: ill-formed UTF-16. The
// combined patterns keep a clean string to one scan; the others only explain a refusal.
const UNSAFE = /[\p{Cc}\p{Cs}]/u;
const UNSAFE_BUT_LINE_BREAKS = /[^\P{Cc}\t\n\r]|\p{Cs}/u;
const CONTROL = /\p{Cc}/u;
const CONTROL_BUT_LINE_BREAKS = /[^\P{Cc}\t\n\r]/u;

/** Enough to say what is wrong without an answer as large as the request. */
const MAX_FIELD_ERRORS = 20;

class Findings {
  readonly invalid: FieldError[] = [];
  readonly secrets: FieldError[] = [];

  get full(): boolean {
    return this.invalid.length + this.secrets.length >= MAX_FIELD_ERRORS;
  }

  /** Records what is wrong with `text` (`what` starts the message: '' for a value); true when nothing is. */
  check(text: string, field: string, what: string, lineBreaks: boolean, secret = false): boolean {
    if (!secret && containsSecret(text)) {
      this.secrets.push({ field, message: `${what}must not contain a Custos token or session token` });
      return false;
    }
    if ((lineBreaks ? UNSAFE_BUT_LINE_BREAKS : UNSAFE).test(text)) {
      const message = (lineBreaks ? CONTROL_BUT_LINE_BREAKS : CONTROL).test(text)
        ? `${what}must not contain control characters${lineBreaks ? ' other than tab and line breaks' : ''}`
        : `${what}must be well-formed Unicode (no lone surrogates)`;
      this.invalid.push({ field, message });
      return false;
    }
    return true;
  }

  throwIfAny(): void {
    if (this.secrets.length > 0) {
      throw new DomainError(
        ErrorCode.SECRET_IN_TEXT,
        'A Custos token or session token was found in text that would be stored or logged for good. Keep secrets out of names, reasons, metadata and queries, and revoke a token that leaked.',
        [...this.secrets, ...this.invalid],
      );
    }
    if (this.invalid.length > 0) throw DomainError.validation(this.invalid);
  }
}

function visit(value: unknown, field: string, rule: TextRule, depth: number, out: Findings): void {
  if (rule.opaque || out.full) return;
  if (typeof value === 'string') {
    out.check(value, field, '', rule.lineBreaks, rule.secret);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth > MAX_JSON_DEPTH) {
    // Not reachable through the JSON parser, which refuses deeper bodies; kept so the walk stays bounded.
    out.invalid.push({ field, message: `must not nest deeper than ${MAX_JSON_DEPTH} levels` });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => visit(item, `${field}.${index}`, rule, depth + 1, out));
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    // A bad key is reported on its parent, so the answer never echoes it, and its value is skipped.
    if (out.check(key, field, 'keys ', false)) visit(record[key], `${field}.${key}`, rule, depth + 1, out);
  }
}

export interface RequestPart {
  /** Where the value came from, named in field errors when it has no name of its own. */
  source: 'body' | 'query' | 'param';
  /** The parameter's name (`@Param('id')`, `@Body('name')`), when the handler asked for one value. */
  name?: string | undefined;
  /** The body's or query's DTO class, whose fields may carry marks. */
  dto?: DtoClass | undefined;
}

/** Throws SECRET_IN_TEXT or VALIDATION_FAILED, with the fields, when a string of `value` breaks a rule. */
export function checkRequestText(value: unknown, part: RequestPart): void {
  const out = new Findings();
  const rules = rulesOf(part.dto);
  if (part.name !== undefined) {
    visit(value, part.name, DEFAULT_RULE, 1, out);
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (out.check(key, part.source, 'field names ', false)) visit(record[key], key, rules?.get(key) ?? DEFAULT_RULE, 1, out);
    }
  } else {
    visit(value, part.source, DEFAULT_RULE, 1, out);
  }
  out.throwIfAny();
}
