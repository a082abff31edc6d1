import { describe, expect, it } from '@jest/globals';
import { ApiError, toProblem } from './http';

describe('toProblem', () => {
  it('keeps the fields of an RFC 9457 problem', () => {
    const problem = toProblem(422, 'Unprocessable Entity', {
      type: '/problems/validation-failed',
      title: 'Validation failed',
      status: 422,
      detail: 'The request has invalid fields.',
      code: 'VALIDATION_FAILED',
      requestId: 'req_1',
      errors: [{ field: 'email', message: 'must be an email' }, { field: 42 }],
    });
    expect(problem).toEqual({
      type: '/problems/validation-failed',
      title: 'Validation failed',
      status: 422,
      detail: 'The request has invalid fields.',
      code: 'VALIDATION_FAILED',
      requestId: 'req_1',
      errors: [{ field: 'email', message: 'must be an email' }],
    });
  });

  it('builds a plain problem from the status when the body is not one', () => {
    expect(toProblem(502, 'Bad Gateway', '<html>')).toEqual({
      type: 'about:blank',
      title: 'Bad Gateway',
      status: 502,
      detail: 'The API answered with HTTP 502.',
    });
  });
});

describe('ApiError', () => {
  const error = new ApiError({
    type: 'about:blank',
    title: 'Validation failed',
    status: 422,
    detail: 'The request has invalid fields.',
    errors: [
      { field: 'email', message: 'must be an email' },
      { field: 'body.password', message: 'is too short' },
      { field: 'captcha', message: 'is required' },
      { field: 'scopes.1', message: 'is not a scope' },
    ],
  });

  it('gives each field its own messages, by name or by a path ending in it', () => {
    expect(error.fieldErrors('email')).toEqual(['must be an email']);
    expect(error.fieldErrors('password')).toEqual(['is too short']);
    expect(error.fieldErrors('scopes')).toEqual(['is not a scope']);
    expect(error.fieldErrors('organization')).toEqual([]);
  });

  it('lists the field errors no shown field claims', () => {
    expect(error.otherFieldErrors(['email', 'password', 'scopes'])).toEqual([{ field: 'captcha', message: 'is required' }]);
  });

  it('uses the detail as its message', () => {
    expect(error.message).toBe('The request has invalid fields.');
    expect(error.status).toBe(422);
  });
});
