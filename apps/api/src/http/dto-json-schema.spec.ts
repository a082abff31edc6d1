import { IsEmail, IsOptional, IsString, Length } from 'class-validator';
import { VerifyDto } from '../verify/verify.dto';
import { jsonSchemaOf } from './dto-json-schema';

describe('jsonSchemaOf', () => {
  it("gives VerifyDto's rules exactly as the verify route validated them when its schema was written by hand", () => {
    expect(jsonSchemaOf(VerifyDto)).toEqual({
      type: 'object',
      required: ['token'],
      propertyNames: { enum: ['token', 'scopes', 'context', 'cache'] },
      properties: {
        token: { type: 'string', maxLength: 512 },
        scopes: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 128 } },
        context: {
          type: 'object',
          propertyNames: { enum: ['ip', 'country', 'resource'] },
          properties: {
            ip: { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] },
            country: { type: 'string', pattern: '^[A-Z]{2}$' },
            resource: { type: 'string', minLength: 1, maxLength: 500 },
          },
        },
        cache: { type: 'boolean' },
      },
    });
  });

  it('refuses, at start-up, a rule it cannot express rather than leave it out of the validation', () => {
    class WithEmail {
      @IsString() @Length(1, 10) name!: string;
      @IsOptional() @IsEmail() email?: string;
    }
    expect(() => jsonSchemaOf(WithEmail)).toThrow('WithEmail.email: no JSON Schema for the @isEmail rule');
  });
});
