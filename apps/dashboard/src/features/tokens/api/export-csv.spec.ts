import { describe, expect, it } from '@jest/globals';
import { tokenFixture } from '../../../test/token-fixtures';
import { csvField, toCsv } from './export-csv';

describe('csvField', () => {
  it('quotes what CSV needs quoted', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });

  it('never hands a spreadsheet a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});

describe('toCsv', () => {
  it('says where each token was used from: its last country, the regions seen, its last cross-border use', () => {
    const [header, row] = toCsv([tokenFixture('tok_1', { lastUsedCountry: 'US', regionsSeen: ['EU', 'US'], lastCrossBorderAt: '2026-11-23T10:00:00.000Z' })]).split('\r\n');
    const cells = Object.fromEntries(header!.split(',').map((name, i) => [name, row!.split(',')[i]]));
    expect(cells).toMatchObject({ last_used_country: 'US', regions_seen: 'EU US', last_cross_border_at: '2026-11-23T10:00:00.000Z' });
  });
});
