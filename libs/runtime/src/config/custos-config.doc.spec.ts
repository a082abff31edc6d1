import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema, launcherConfigSchema } from './custos-config';

const DOC = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'configuration.md'), 'utf8');

describe('docs/configuration.md', () => {
  it.each(Object.keys(configSchema.shape))('documents %s', (name) => {
    expect(DOC).toContain(`\`${name}\``);
  });

  it('names every variable the launcher checks itself', () => {
    const paragraph = DOC.split('\n\n').find((p) => p.includes('The launcher (`npm start`')) ?? '';
    const named = [...paragraph.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]).sort();
    expect(named).toEqual(Object.keys(launcherConfigSchema.shape).sort());
  });
});
