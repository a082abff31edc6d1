import { ErrorCode } from '@custos/contracts';
import { DomainError, generateToken } from '@custos/domain';
import { AllowLineBreaks, AllowSecret, checkRequestText, type RequestPart } from './request-text';

class BaseDto {
  @AllowLineBreaks()
  description?: string;

  name?: string;
}

class MarkedDto extends BaseDto {
  @AllowSecret('a password is hashed, never stored')
  password?: string;

  @AllowLineBreaks()
  metadata?: Record<string, unknown>;

  @AllowSecret('a search may be a pasted token; only its lookup id is used', { text: true })
  q?: string;
}

const token = generateToken('test').raw;
const asBody = (dto: RequestPart['dto'] = MarkedDto): RequestPart => ({ source: 'body', dto });

function refusal(value: unknown, part: RequestPart): { code: ErrorCode; errors: readonly { field: string; message: string }[] } | null {
  try {
    checkRequestText(value, part);
    return null;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { code: error.code, errors: error.fieldErrors };
  }
}

describe('request text rules', () => {
  it('passes ordinary text, numbers, booleans and nulls', () => {
    expect(refusal({ name: 'orders – prod ☃ 𝄞', metadata: { n: 1, ok: true, none: null, list: ['a', 2] } }, asBody())).toBeNull();
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['a bell', 'ding\u0007'],
    ['DEL', 'x\u007f'],
    ['a C1 control', 'x\u0085'],
    ['a newline in a single-line field', 'one\ntwo'],
    ['a tab in a single-line field', 'one\ttwo'],
  ])('refuses %s with the field named', (_what, text) => {
    expect(refusal({ name: text }, asBody())).toEqual({
      code: ErrorCode.VALIDATION_FAILED,
      errors: [{ field: 'name', message: 'must not contain control characters' }],
    });
  });

  it('refuses lone surrogates but takes pairs', () => {
    expect(refusal({ name: 'x\ud800' }, asBody())?.errors).toEqual([{ field: 'name', message: 'must be well-formed Unicode (no lone surrogates)' }]);
    expect(refusal({ name: '\udc00\ud800' }, asBody())?.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(refusal({ name: '\ud834\udd1e' }, asBody())).toBeNull();
  });

  it('allows tab and line breaks in marked fields, inherited marks and nested values included', () => {
    expect(refusal({ description: 'one\r\n\ttwo', metadata: { notes: ['a\nb'], deeper: { x: 'c\td' } } }, asBody())).toBeNull();
    expect(refusal({ description: 'one\u0000' }, asBody())?.errors).toEqual([
      { field: 'description', message: 'must not contain control characters other than tab and line breaks' },
    ]);
  });

  it('never allows control characters in keys, and reports them on the parent without echoing them', () => {
    expect(refusal({ metadata: { ok: { 'k\nx': 'v' } } }, asBody())?.errors).toEqual([
      { field: 'metadata.ok', message: 'keys must not contain control characters' },
    ]);
    expect(refusal({ 'na\u0000me': 'x' }, asBody())?.errors).toEqual([{ field: 'body', message: 'field names must not contain control characters' }]);
  });

  it('names array elements by index', () => {
    expect(refusal({ metadata: { list: ['fine', 'bad\u0000'] } }, asBody())?.errors).toEqual([
      { field: 'metadata.list.1', message: 'must not contain control characters other than tab and line breaks' },
    ]);
  });

  it.each([
    ['as the whole value', token],
    ['glued to other characters', `x_${token}_y`],
    ['a session token', `cookie=cus_session_${'Ab-_'.repeat(11)}`],
  ])('refuses a secret %s with SECRET_IN_TEXT', (_how, text) => {
    expect(refusal({ metadata: { a: [{ b: text }] } }, asBody())).toEqual({
      code: ErrorCode.SECRET_IN_TEXT,
      errors: [{ field: 'metadata.a.0.b', message: 'must not contain a Custos token or session token' }],
    });
  });

  it('refuses a secret in a key', () => {
    expect(refusal({ metadata: { [token]: 1 } }, asBody())?.errors).toEqual([{ field: 'metadata', message: 'keys must not contain a Custos token or session token' }]);
  });

  it('leaves a field marked @AllowSecret alone entirely', () => {
    expect(refusal({ password: `${token}\u0000\ud800` }, asBody())).toBeNull();
  });

  it('lets a token into a field marked @AllowSecret(…, { text: true }), which stays text', () => {
    expect(refusal({ q: token }, asBody())).toBeNull();
    expect(refusal({ q: `${token}\u0000` }, asBody())?.errors).toEqual([{ field: 'q', message: 'must not contain control characters' }]);
  });

  it('reports a secret before, and together with, other findings', () => {
    const found = refusal({ name: 'a\u0000', description: token }, asBody());
    expect(found?.code).toBe(ErrorCode.SECRET_IN_TEXT);
    expect(found?.errors.map((e) => e.field)).toEqual(['description', 'name']);
  });

  it('checks bodies without a DTO, query strings and path parameters', () => {
    expect(refusal({ password: token }, { source: 'body' })?.code).toBe(ErrorCode.SECRET_IN_TEXT);
    expect(refusal({ q: ['a', '\u0000'] }, { source: 'query' })?.errors).toEqual([{ field: 'q.1', message: 'must not contain control characters' }]);
    expect(refusal('\u0000', { source: 'param', name: 'id' })?.errors).toEqual([{ field: 'id', message: 'must not contain control characters' }]);
    expect(refusal(token, { source: 'body' })?.errors).toEqual([{ field: 'body', message: 'must not contain a Custos token or session token' }]);
  });

  it('stops at 20 findings, however many strings the body carries', () => {
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, '\u0000']));
    expect(refusal({ metadata: many }, asBody())?.errors).toHaveLength(20);
  });

  it('refuses to register an exemption without a reason', () => {
    expect(() => AllowSecret(' ')(MarkedDto.prototype, 'name')).toThrow(/needs a reason/);
  });
});
