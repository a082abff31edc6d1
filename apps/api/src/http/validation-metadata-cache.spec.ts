import { IsInt, IsString, MinLength, validateSync } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache';

class Named {
  @IsString()
  name!: unknown;
}

class Counted extends Named {
  @IsInt()
  count!: unknown;
}

const failing = (value: object): string[] => validateSync(Object.assign(new Counted(), value)).map((error) => error.property).sort();

describe('cached validation metadata', () => {
  beforeAll(() => cacheValidationMetadata());

  it('keeps applying a DTO’s own and inherited rules, however often it validates', () => {
    for (let i = 0; i < 3; i++) {
      expect(failing({ name: 1, count: 'x' })).toEqual(['count', 'name']);
      expect(failing({ name: 'a', count: 2 })).toEqual([]);
    }
  });

  it('applies a rule added after the DTO was first validated', () => {
    expect(failing({ name: 'ab', count: 2 })).toEqual([]);
    MinLength(3)(Counted.prototype, 'name');
    expect(failing({ name: 'ab', count: 2 })).toEqual(['name']);
  });
});
