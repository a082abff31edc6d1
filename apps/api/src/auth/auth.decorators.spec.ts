import { Reflector } from '@nestjs/core';
import { REQUIRED_SCOPES, RequireScopes } from './auth.decorators';

class Routes {
  @RequireScopes('custos:tokens:read', 'custos:audit:read')
  read(): string {
    return 'read';
  }

  // The test is the directive: `npm run typecheck` fails if the compiler ever accepts this scope.
  // @ts-expect-error 'custos:tokens:reed' is not a CustosScope
  @RequireScopes('custos:tokens:reed')
  misspelt(): string {
    return 'misspelt';
  }
}

describe('RequireScopes', () => {
  const reflector = new Reflector();

  it("records the route's custos scopes for the guard, typed", () => {
    const scopes: readonly string[] | undefined = reflector.get(REQUIRED_SCOPES, Routes.prototype.read);
    expect(scopes).toEqual(['custos:tokens:read', 'custos:audit:read']);
  });

  it('would record a misspelt scope, which no principal holds: hence the compile-time check', () => {
    expect(reflector.get(REQUIRED_SCOPES, Routes.prototype.misspelt)).toEqual(['custos:tokens:reed']);
  });
});
