/**
 * A value now, or a promise of it. The verify path answers from memory most of the time; each promise
 * it made there cost the async-context hooks (AsyncLocalStorage is on process-wide for the request
 * logger) and a microtask, which the bench measured at about a tenth of the api's CPU per verify.
 */
export type MaybePromise<T> = T | Promise<T>;

/** `next(value)` at once when the value is here, else when it arrives. */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
