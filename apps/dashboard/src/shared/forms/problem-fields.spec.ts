import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../api/http';
import { fieldErrorsOf } from './problem-fields';

describe('fieldErrorsOf', () => {
  it('maps nested and indexed field paths onto the form fields', () => {
    const error = new ApiError({
      type: 'x',
      title: 'Invalid',
      status: 400,
      errors: [
        { field: 'scopes.1', message: 'must match the scope pattern' },
        { field: 'name', message: 'must not be empty' },
        { field: 'other', message: 'ignored here' },
      ],
    });
    expect(fieldErrorsOf(error, ['name', 'scopes'])).toEqual({ name: 'must not be empty', scopes: 'must match the scope pattern' });
  });

  it('is empty for anything but an API error', () => {
    expect(fieldErrorsOf(new Error('x'), ['name'])).toEqual({});
  });
});
