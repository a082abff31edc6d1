import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../api/http';
import { fieldErrorsOf, placeFieldErrors } from './problem-fields';

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

describe('placeFieldErrors', () => {
  const error = new ApiError({
    type: 'x',
    title: 'Invalid',
    status: 400,
    errors: [
      { field: 'geo.rules.0.allowedRegions', message: 'names no region group: ATLANTIS' },
      { field: 'geo.rules.1.allowedCountries.0', message: 'must be a country code' },
      { field: 'geo.rules.1', message: 'must allow at least one region or country' },
      { field: 'rateLimit.windowSeconds', message: 'must not be greater than 86400' },
      { field: 'maxLifetimeSeconds', message: 'must not be less than 60' },
      { field: 'geo', message: 'nobody shows this' },
    ],
  });

  it('puts each error on the deepest field it lies under, through the form’s own names, and says which it placed', () => {
    const fields = ['geo.rules.0.allowedRegions', 'geo.rules.1.allowedCountries', 'geo.rules.0', 'geo.rules.1', 'rateLimit'];
    expect(placeFieldErrors(error, fields, { 'rateLimit.windowSeconds': 'rateLimitWindow', maxLifetimeSeconds: 'maxLifetimeDays' })).toEqual({
      errors: {
        'geo.rules.0.allowedRegions': 'names no region group: ATLANTIS',
        'geo.rules.1.allowedCountries': 'must be a country code',
        'geo.rules.1': 'must allow at least one region or country',
        rateLimitWindow: 'must not be greater than 86400',
        maxLifetimeDays: 'must not be less than 60',
      },
      placed: ['geo.rules.0.allowedRegions', 'geo.rules.1.allowedCountries.0', 'geo.rules.1', 'rateLimit.windowSeconds', 'maxLifetimeSeconds'],
    });
  });

  it('places nothing for anything but an API error', () => {
    expect(placeFieldErrors(new Error('x'), ['name'])).toEqual({ errors: {}, placed: [] });
  });
});
