import { DATA_CATEGORY_PATTERN, SCOPE_PATTERN, isCountryCode, isValidCidr } from '@custos/domain';
import { Transform } from 'class-transformer';
import { IsBoolean, Matches, ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * Like @IsOptional(), for a field that may be left out but not cleared: only an absent field skips
 * validation, and `null` is checked like any value (so @IsString() and the like refuse it).
 * @IsOptional() lets null through, and on PATCH a null name reached the database's NOT NULL as a 500.
 */
export const IsOptionalButNotNull = (options?: ValidationOptions): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined, options);

export const IsCidr = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isCidr',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isValidCidr(value),
        defaultMessage: () => 'must be an IP address or CIDR range, like 10.0.0.0/8 or 2001:db8::/32',
      },
    },
    options,
  );

export const MaxJsonBytes = (max: number, options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'maxJsonBytes',
      validator: {
        validate: (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null), 'utf8') <= max,
        defaultMessage: () => `must be at most ${max} bytes as JSON`,
      },
    },
    options,
  );

export const IsScope = (options?: ValidationOptions): PropertyDecorator =>
  Matches(SCOPE_PATTERN, { message: `each value must match ${SCOPE_PATTERN.source}`, ...options });

/** A region group's code (EU, ADEQUACY, a tenant's DACH); libs/domain/src/usage/regions.ts checks it names one. */
export const REGION_CODE = /^[A-Z][A-Z0-9_-]{1,31}$/;
/** Two upper-case letters; IsCountryCode checks it is a country's. */
export const COUNTRY_CODE = /^[A-Z]{2}$/;

export const MAX_GRACE_SECONDS = 30 * 24 * 3600;
export const MAX_LIFETIME_SECONDS = 10 * 365 * 24 * 3600;

/** A data category: lower-case words, as in `personal`, `health`, `payment_card` (see DATA_CATEGORY_PATTERN). */
export const IsDataCategory = (options?: ValidationOptions): PropertyDecorator =>
  Matches(DATA_CATEGORY_PATTERN, { message: 'each must be lower-case words such as personal or payment_card', ...options });

/** An ISO 3166-1 alpha-2 country code, upper case (`DE`, `US`). */
export const IsCountryCode = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isCountryCode',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isCountryCode(value),
        defaultMessage: () => 'must be an ISO 3166-1 alpha-2 country code in upper case, like DE or US',
      },
    },
    options,
  );

const EARLIEST_DATE = Date.parse('0001-01-01T00:00:00Z');
const LATEST_DATE = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * A date of the years 1 to 9999. JavaScript parses dates far outside them (`-100000-01-01`) that
 * Postgres cannot hold, and a query given one would fail as a 500. Leaves an invalid date to @IsDate().
 */
export const IsDateInRange = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isDateInRange',
      validator: {
        validate: (value: unknown) => !(value instanceof Date) || Number.isNaN(value.getTime()) || (value.getTime() >= EARLIEST_DATE && value.getTime() <= LATEST_DATE),
        defaultMessage: () => 'must be a date of the years 1 to 9999',
      },
    },
    options,
  );

/** A query parameter `true` or `false`, read as a boolean; anything else is refused. */
export const IsQueryBoolean = (): PropertyDecorator => (target: object, key: string | symbol) => {
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))(target, key);
  IsBoolean()(target, key);
};
