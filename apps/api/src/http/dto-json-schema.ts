import { ValidationTypes, getMetadataStorage } from 'class-validator';

/** The subset of JSON Schema (draft 7, as Ajv reads it) that a DTO's rules translate to. */
export interface DtoJsonSchema {
  type: 'object';
  required?: string[];
  propertyNames: { enum: string[] };
  properties: Record<string, FieldSchema | DtoJsonSchema>;
}

export interface FieldSchema {
  type?: 'string' | 'array' | 'boolean';
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  anyOf?: { format: string }[];
  maxItems?: number;
  items?: FieldSchema;
}

type Dto = abstract new (...args: never[]) => object;
type Rule = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/**
 * The JSON Schema of a DTO, read from its class-validator decorators: for a route that validates with
 * Ajv rather than Nest's ValidationPipe (the verify hot path), so that the DTO, which also documents the
 * route in OpenAPI, stays the one source of its rules. Called once at start-up, never per request.
 *
 * Only the decorators such a route uses are known; any other throws here, at start-up, rather than
 * being silently left out of the route's validation. As everywhere in the API, unknown fields are an
 * error (`propertyNames`) and nothing is coerced. One difference from class-validator: @IsOptional
 * means the field may be left out, not that it may be null.
 */
export function jsonSchemaOf(dto: Dto): DtoJsonSchema {
  const rulesOf = new Map<string, Rule[]>();
  // Fields come in the order the class declares them; each field's rules bottom-up, as decorators
  // apply: prepending puts them back in the order they are written.
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
    rulesOf.set(rule.propertyName, [rule, ...(rulesOf.get(rule.propertyName) ?? [])]);
  }
  const fields = [...rulesOf.keys()];
  const required = fields.filter((f) => !rulesOf.get(f)!.some(isOptional));
  return {
    type: 'object',
    ...(required.length > 0 ? { required } : {}),
    propertyNames: { enum: fields },
    properties: Object.fromEntries(fields.map((f) => [f, fieldSchema(dto, f, rulesOf.get(f)!.filter((r) => !isOptional(r)))])),
  };
}

const isOptional = (rule: Rule): boolean => rule.type === ValidationTypes.CONDITIONAL_VALIDATION && rule.name === 'isOptional';

function fieldSchema(dto: Dto, field: string, rules: readonly Rule[]): FieldSchema | DtoJsonSchema {
  const where = `${dto.name}.${field}`;
  if (rules.some((r) => r.type === ValidationTypes.NESTED_VALIDATION)) {
    if (rules.length > 1) throw new Error(`${where}: a nested DTO takes no other rule`);
    return jsonSchemaOf(nestedDtoOf(dto, field));
  }
  const schema: FieldSchema = {};
  for (const rule of rules) {
    if (rule.type !== ValidationTypes.CUSTOM_VALIDATION || rule.name === undefined) {
      throw new Error(`${where}: no JSON Schema for the ${rule.name ?? rule.type} rule`);
    }
    applyRule(rule.each ? (schema.items ??= {}) : schema, rule.name, rule.constraints, where);
  }
  return schema;
}

// class-validator types `constraints` as an array, but leaves it undefined for rules without any (@IsString).
function applyRule(schema: FieldSchema, rule: string, constraints: readonly unknown[] | undefined, where: string): void {
  const [first, second] = constraints ?? [];
  switch (rule) {
    case 'isString':
      schema.type = 'string';
      return;
    case 'isArray':
      schema.type = 'array';
      return;
    case 'isBoolean':
      schema.type = 'boolean';
      return;
    case 'maxLength':
      schema.maxLength = first as number;
      return;
    case 'isLength':
      schema.minLength = first as number;
      if (second !== undefined) schema.maxLength = second as number;
      return;
    case 'arrayMaxSize':
      schema.maxItems = first as number;
      return;
    case 'matches':
      if (!(first instanceof RegExp) || first.flags !== '' || second) throw new Error(`${where}: @Matches needs a RegExp without flags`);
      schema.pattern = first.source;
      return;
    case 'isIp': {
      schema.type = 'string';
      const versions = first === 4 || first === '4' ? [4] : first === 6 || first === '6' ? [6] : [4, 6];
      schema.anyOf = versions.map((v) => ({ format: `ipv${v}` }));
      return;
    }
    default:
      throw new Error(`${where}: no JSON Schema for the @${rule} rule`);
  }
}

/** A nested DTO's class, from the property's emitted design type (as class-transformer's @Type gives). */
function nestedDtoOf(dto: Dto, field: string): Dto {
  const type: unknown = Reflect.getMetadata('design:type', dto.prototype as object, field);
  if (typeof type !== 'function' || type === Object || type === Array) {
    throw new Error(`${dto.name}.${field}: @ValidateNested needs a field typed by a DTO class`);
  }
  return type as Dto;
}
