import { DomainError } from '@custos/domain';

/** The DomainError a use case refused with; the test fails when it did not refuse, or threw something else. */
export async function refusalOf(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}
