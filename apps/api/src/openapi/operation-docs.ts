import { applyDecorators } from '@nestjs/common';
import {
  ApiExtension,
  ApiOperation,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type PathItemObject,
  type ReferenceObject,
  type SecurityRequirementObject,
} from '@nestjs/swagger';
import { ErrorCode, ROLES, ROLE_SCOPES, type CustosScope, type JsonObject } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { httpStatusOf, problemOf, ProblemDetails } from '../http/problem-details';

/**
 * Every operation of the OpenAPI document gets its summary, who may call it, its problem+json errors
 * and its examples here. Who may call it is never written by hand: RequireScopes and Public(), which
 * the guard reads, also mark the operation (the extensions below), and documentOperations turns the
 * mark into the description's permissions line, the security requirements and the 401/403 answers.
 * The errors every operation of a kind can answer (input → 400, credentials → 401, scope and CSRF →
 * 403, an :id → 404, a body → 413) are derived; a route declares only those its use case adds.
 */

/** The custos scopes the route requires (set by RequireScopes); kept in the document for clients. */
export const SCOPES_EXTENSION = 'x-custos-scopes';
/** Set by Public(); consumed by documentOperations. */
export const PUBLIC_EXTENSION = 'x-custos-public';
/** Set by ApiDoc; consumed by documentOperations. */
export const DOCS_EXTENSION = 'x-custos-docs';

/** Names of the document's security schemes (buildOpenApiDocument declares them). */
export const SECURITY_SCHEMES = { bearer: 'bearer', session: 'cookie', csrf: 'csrf' } as const;

export const PROBLEM_JSON = 'application/problem+json';

export interface OperationDocs {
  /** One line: what the operation does. */
  summary: string;
  /** What else a caller needs to know; who may call it is added from RequireScopes / Public(). */
  description?: string;
  /** Errors the use case raises beyond those every operation of its kind can (see above). */
  errors?: readonly ErrorCode[];
  /**
   * A request body the API accepts as it stands: apps/api-e2e's openapi-examples test sends it. An id
   * of an object of the kind the route acts on may be any such id; the test puts in one of its own.
   */
  example?: JsonObject | JsonObject[];
  /** Query parameters, by name, that the API accepts together; each becomes its parameter's example. */
  query?: Readonly<Record<string, string | number>>;
}

/** The operation's summary, description, extra errors and examples (see OperationDocs). */
export function ApiDoc(docs: OperationDocs): MethodDecorator {
  const { summary, description, ...rest } = docs;
  return applyDecorators(ApiOperation({ summary, ...(description ? { description } : {}) }), ApiExtension(DOCS_EXTENSION, rest));
}

/** An operation as the scanner leaves it, with the marks of RequireScopes, Public() and ApiDoc. */
export type MarkedOperation = OperationObject & {
  [SCOPES_EXTENSION]?: readonly CustosScope[];
  [PUBLIC_EXTENSION]?: boolean;
  [DOCS_EXTENSION]?: Omit<OperationDocs, 'summary' | 'description'>;
};

type Access = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'scoped'; scopes: readonly CustosScope[] };

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;
const SAFE_METHODS = new Set<string>(['get', 'head', 'options']);

/**
 * Completes every operation of the document (see the comment at the top). Nothing it is given is
 * changed: operations, and any object in them that changes, are copied first, since the scanner may
 * share objects among operations and the verify route's operation is a constant.
 */
export function documentOperations(document: OpenAPIObject): void {
  document.paths = Object.fromEntries(
    Object.entries(document.paths).map(([path, item]): [string, PathItemObject] => {
      const documentedItem: PathItemObject = { ...item };
      for (const method of METHODS) {
        const operation: MarkedOperation | undefined = item[method];
        if (operation) documentedItem[method] = documented(operation, { method, path });
      }
      return [path, documentedItem];
    }),
  );
}

function documented(marked: MarkedOperation, at: { method: string; path: string }): OperationObject {
  const where = `${at.method.toUpperCase()} ${at.path}`;
  const access = accessOf(marked, where);
  const { [DOCS_EXTENSION]: docs = {}, [PUBLIC_EXTENSION]: _public, ...operation } = marked;
  const unsafe = !SAFE_METHODS.has(at.method);

  const ownCredential = access.kind === 'public' && (operation.security ?? []).length > 0;
  operation.security = securityOf(access, unsafe, operation.security);
  operation.description = [operation.description, permissionsOf(access, unsafe, ownCredential)].filter(Boolean).join('\n\n');
  if (docs.example) bodyExample(operation, docs.example, where);
  for (const [name, value] of Object.entries(docs.query ?? {})) queryExample(operation, name, value, where);
  addProblems(operation, [...impliedErrors(operation, access, unsafe), ...(docs.errors ?? [])]);
  return operation;
}

function accessOf(operation: MarkedOperation, where: string): Access {
  const scopes = operation[SCOPES_EXTENSION];
  if (operation[PUBLIC_EXTENSION]) {
    if (scopes) throw new Error(`${where} is public and requires scopes`);
    return { kind: 'public' };
  }
  return scopes && scopes.length > 0 ? { kind: 'scoped', scopes } : { kind: 'authenticated' };
}

/**
 * A service key or a session (with its CSRF header when it changes something). A public route needs
 * neither; one that checks a credential of its own (the successor handover: the old token) declares
 * that scheme itself, and keeps it.
 */
function securityOf(access: Access, unsafe: boolean, declared: SecurityRequirementObject[] | undefined): SecurityRequirementObject[] {
  if (access.kind === 'public') return declared ?? [];
  const session: SecurityRequirementObject = { [SECURITY_SCHEMES.session]: [] };
  if (unsafe) session[SECURITY_SCHEMES.csrf] = [];
  return [{ [SECURITY_SCHEMES.bearer]: [] }, session];
}

function listed(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]!}`;
}

function permissionsOf(access: Access, unsafe: boolean, ownCredential: boolean): string {
  const csrf = unsafe ? ', which sends its X-CSRF-Token' : '';
  switch (access.kind) {
    case 'public':
      return ownCredential
        ? '**Permissions:** public as far as scopes and sessions go: it checks a credential of its own, described above.'
        : '**Permissions:** public; no service key or session needed.';
    case 'authenticated':
      return `**Permissions:** any service key, or any signed-in person's session${csrf}; no scope needed.`;
    case 'scoped': {
      const scopes = access.scopes.map((s) => `\`${s}\``);
      const roles = ROLES.filter((role) => access.scopes.every((scope) => ROLE_SCOPES[role].includes(scope)));
      const sessions = roles.length > 0 ? `, or the session of a person whose role is ${listed(roles)}${csrf}` : ' (no role holds it)';
      const [noun, pronoun] = scopes.length > 1 ? ['scopes', 'them'] : ['scope', 'it'];
      return `**Permissions:** ${noun} ${scopes.join(' and ')}: a service key holding ${pronoun}${sessions}.`;
    }
  }
}

const isParameter = (p: ParameterObject | ReferenceObject): p is ParameterObject => 'in' in p;

function parametersOf(operation: OperationObject): ParameterObject[] {
  return (operation.parameters ?? []).filter(isParameter);
}

function bodyExample(operation: OperationObject, example: JsonObject | JsonObject[], where: string): void {
  const body = operation.requestBody;
  const json = body && 'content' in body ? body.content['application/json'] : undefined;
  if (!body || !('content' in body) || !json) throw new Error(`${where} documents a body example but takes no JSON body`);
  operation.requestBody = { ...body, content: { ...body.content, 'application/json': { ...json, example } } };
}

function queryExample(operation: OperationObject, name: string, value: string | number, where: string): void {
  const parameter = parametersOf(operation).find((p) => p.in === 'query' && p.name === name);
  if (!parameter) throw new Error(`${where} documents an example for a query parameter it does not have: ${name}`);
  operation.parameters = operation.parameters!.map((p) => (p === parameter ? { ...parameter, example: value } : p));
}

/** What any operation of this shape can answer, whatever its use case does. */
function impliedErrors(operation: OperationObject, access: Access, unsafe: boolean): ErrorCode[] {
  const parameters = parametersOf(operation);
  const codes: ErrorCode[] = [];
  // Every string of a body, a query or a path goes through the text rules, then validation.
  if (operation.requestBody || parameters.length > 0) codes.push(ErrorCode.VALIDATION_FAILED, ErrorCode.SECRET_IN_TEXT);
  if (access.kind !== 'public') codes.push(ErrorCode.UNAUTHENTICATED);
  if (access.kind === 'scoped') codes.push(ErrorCode.FORBIDDEN);
  if (access.kind !== 'public' && unsafe) codes.push(ErrorCode.CSRF_FAILED);
  // Another tenant's object is not found either.
  if (parameters.some((p) => p.in === 'path' && p.name === 'id')) codes.push(ErrorCode.NOT_FOUND);
  if (operation.requestBody) codes.push(ErrorCode.PAYLOAD_TOO_LARGE);
  return codes;
}

const PROBLEM_SCHEMA = { $ref: `#/components/schemas/${ProblemDetails.name}` };
const EXAMPLE_REQUEST_ID = '3f1c2a9e-5b7d-4c1e-9a0f-6d2b8e4c7a15';

/** One problem+json response per status, listing its codes, each with an example made by the real mapper. */
function addProblems(operation: OperationObject, codes: readonly ErrorCode[]): void {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = httpStatusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const field = firstInputOf(operation);
  operation.responses = { ...operation.responses };
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const examples = byStatus.get(status)!.map((code) => exampleProblem(code, field));
    // A route that describes one of these answers itself keeps its words; the body is a problem all the same.
    const declared = operation.responses[String(status)];
    operation.responses[String(status)] = {
      description: declared && 'description' in declared ? declared.description : examples.map((p) => `${p.code}: ${p.title}.`).join(' '),
      content: {
        [PROBLEM_JSON]: {
          schema: PROBLEM_SCHEMA,
          examples: Object.fromEntries(examples.map((p) => [p.code, { summary: p.title, value: p }])),
        },
      },
    };
  }
}

/** A field the examples of refused input can name. */
function firstInputOf(operation: OperationObject): string {
  const parameters = parametersOf(operation);
  return parameters.find((p) => p.in === 'query')?.name ?? parameters[0]?.name ?? 'body';
}

const FIELD_MESSAGES: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.VALIDATION_FAILED]: 'is not valid',
  [ErrorCode.SECRET_IN_TEXT]: 'must not contain a Custos token or session token',
};

function exampleProblem(code: ErrorCode, field: string): ProblemDetails {
  const title = problemOf(new DomainError(code, ''), null).title;
  const message = FIELD_MESSAGES[code];
  return problemOf(new DomainError(code, `${title}.`, message ? [{ field, message }] : []), EXAMPLE_REQUEST_ID);
}
