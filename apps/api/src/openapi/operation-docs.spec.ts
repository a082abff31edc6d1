import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';
import { ErrorCode } from '@custos/contracts';
import { DOCS_EXTENSION, PROBLEM_JSON, PUBLIC_EXTENSION, SCOPES_EXTENSION, documentOperations, type MarkedOperation } from './operation-docs';

const OK = { '200': { description: 'ok' } };
const idParameter = { name: 'id', in: 'path' as const, required: true, schema: { type: 'string' } };
const jsonBody = { required: true, content: { 'application/json': { schema: { type: 'object' } } } };

function documented(paths: Record<string, Record<string, MarkedOperation>>): Record<string, Record<string, OperationObject>> {
  const document: OpenAPIObject = { openapi: '3.0.0', info: { title: 't', version: '1' }, paths };
  documentOperations(document);
  return document.paths as Record<string, Record<string, OperationObject>>;
}

const statuses = (operation: OperationObject): string[] => Object.keys(operation.responses).sort();

describe('documentOperations', () => {
  it('says which scope and roles a scoped route needs, and that sessions send the CSRF header when it changes something', () => {
    const { post } = documented({
      '/v1/tokens/{id}/revoke': {
        post: { description: 'Final.', parameters: [idParameter], requestBody: jsonBody, responses: OK, [SCOPES_EXTENSION]: ['custos:tokens:revoke'] },
      },
    })['/v1/tokens/{id}/revoke']!;
    expect(post!.description).toBe(
      'Final.\n\n**Permissions:** scope `custos:tokens:revoke`: a service key holding it, ' +
        'or the session of a person whose role is owner, admin or operator, which sends its X-CSRF-Token.',
    );
    expect(post!.security).toEqual([{ bearer: [] }, { cookie: [], csrf: [] }]);
  });

  it('derives the errors of the route: input, credentials, scope, CSRF, an :id and a body, plus those it declares', () => {
    const paths = documented({
      '/v1/things/{id}': {
        post: {
          parameters: [idParameter],
          requestBody: jsonBody,
          responses: OK,
          [SCOPES_EXTENSION]: ['custos:tokens:update'],
          [DOCS_EXTENSION]: { errors: [ErrorCode.INVALID_TRANSITION] },
        },
        get: { parameters: [idParameter], responses: OK, [SCOPES_EXTENSION]: ['custos:tokens:read'] },
      },
      '/v1/subjects/{subjectRef}': {
        get: { parameters: [{ ...idParameter, name: 'subjectRef' }], responses: OK, [SCOPES_EXTENSION]: ['custos:consents:read'] },
      },
      '/v1/me': { get: { responses: OK } },
      '/v1/auth/session': { get: { responses: OK, [PUBLIC_EXTENSION]: true } },
    });
    const post = paths['/v1/things/{id}']!.post!;
    expect(statuses(post)).toEqual(['200', '400', '401', '403', '404', '409', '413']);
    expect(post.responses['403']).toMatchObject({ description: 'FORBIDDEN: Not allowed. CSRF_FAILED: The CSRF token is missing or wrong.' });
    expect(post.responses['409']).toMatchObject({
      content: {
        [PROBLEM_JSON]: {
          schema: { $ref: '#/components/schemas/ProblemDetails' },
          examples: { INVALID_TRANSITION: { value: { status: 409, code: 'INVALID_TRANSITION', type: 'https://custos.dev/problems/invalid-transition' } } },
        },
      },
    });
    // A read changes nothing: no CSRF, no body.
    expect(statuses(paths['/v1/things/{id}']!.get!)).toEqual(['200', '400', '401', '403', '404']);
    // Only an object's id can be not found; an unknown subject answers an empty report.
    expect(statuses(paths['/v1/subjects/{subjectRef}']!.get!)).toEqual(['200', '400', '401', '403']);
    expect(statuses(paths['/v1/me']!.get!)).toEqual(['200', '401']);
    expect(paths['/v1/me']!.get!.description).toContain('no scope needed');
    expect(statuses(paths['/v1/auth/session']!.get!)).toEqual(['200']);
    expect(paths['/v1/auth/session']!.get!).toMatchObject({ security: [], description: '**Permissions:** public; no service key or session needed.' });
  });

  it("keeps a route's own words for an error it describes, with the problem+json body", () => {
    const { get } = documented({
      '/v1/reports/{id}/download': {
        get: {
          parameters: [idParameter],
          responses: { ...OK, '409': { description: 'Until the report is done.' } },
          [SCOPES_EXTENSION]: ['custos:reports:read'],
          [DOCS_EXTENSION]: { errors: [ErrorCode.CONFLICT] },
        },
      },
    })['/v1/reports/{id}/download']!;
    expect(get!.responses['409']).toMatchObject({
      description: 'Until the report is done.',
      content: { [PROBLEM_JSON]: { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
    });
  });

  it('keeps the credential a public route checks itself', () => {
    const { post } = documented({
      '/v1/tokens/self/successor': {
        post: { responses: OK, security: [{ bearer: [] }], [PUBLIC_EXTENSION]: true, [DOCS_EXTENSION]: { errors: [ErrorCode.UNAUTHENTICATED] } },
      },
    })['/v1/tokens/self/successor']!;
    expect(post!.security).toEqual([{ bearer: [] }]);
    expect(post!.description).toContain('it checks a credential of its own');
    expect(statuses(post!)).toEqual(['200', '401']);
  });

  it('puts the examples on the body and on the query parameters, and leaves no mark of its own behind', () => {
    const { get, post } = documented({
      '/v1/tokens': {
        post: { requestBody: jsonBody, responses: OK, [SCOPES_EXTENSION]: ['custos:tokens:issue'], [DOCS_EXTENSION]: { example: { name: 'n' } } },
        get: {
          parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'number' } }],
          responses: OK,
          [SCOPES_EXTENSION]: ['custos:tokens:read'],
          [DOCS_EXTENSION]: { query: { limit: 20 } },
        },
      },
    })['/v1/tokens']!;
    expect(post!.requestBody).toMatchObject({ content: { 'application/json': { example: { name: 'n' } } } });
    expect(get!.parameters).toEqual([expect.objectContaining({ name: 'limit', example: 20 })]);
    expect(Object.keys(post!).filter((k) => k.startsWith('x-'))).toEqual([SCOPES_EXTENSION]);
  });

  it('changes nothing it is given, so a constant operation (the verify route) documents alike every time', () => {
    const marked: MarkedOperation = {
      description: 'Verify.',
      requestBody: jsonBody,
      responses: OK,
      [SCOPES_EXTENSION]: ['custos:tokens:verify'],
      [DOCS_EXTENSION]: { example: { token: 't' } },
    };
    const before = structuredClone(marked);
    const first = documented({ '/v1/verify': { post: marked } });
    expect(marked).toEqual(before);
    expect(documented({ '/v1/verify': { post: marked } })).toEqual(first);
  });

  it('refuses an example for an input the operation does not have', () => {
    expect(() => documented({ '/v1/me': { get: { responses: OK, [DOCS_EXTENSION]: { query: { colour: 'red' } } } } })).toThrow(
      'GET /v1/me documents an example for a query parameter it does not have: colour',
    );
    expect(() => documented({ '/v1/me': { get: { responses: OK, [DOCS_EXTENSION]: { example: {} } } } })).toThrow(
      'GET /v1/me documents a body example but takes no JSON body',
    );
  });
});
