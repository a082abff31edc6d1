import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@custos/runtime';
import { schedules } from './schedules';

const DOC = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'automation.md'), 'utf8');

describe('docs/automation.md', () => {
  it('lists every scheduled job in one unbroken table under "Schedules", and nothing else there', () => {
    const section = DOC.split('\n## ').find((s) => s.startsWith('Schedules\n')) ?? '';
    const lines = section.split('\n');
    const start = lines.findIndex((line) => line.startsWith('| job |'));
    const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
    const documented = lines.slice(start + 2, end).map((row) => /^\| `([a-z_.]+)` \|/.exec(row)?.[1]);
    // A table row after the table's end would be a second, broken table.
    expect(lines.slice(end).filter((line) => line.startsWith('|'))).toEqual([]);
    const config = loadConfig({ DATABASE_URL: 'postgres://localhost/custos', CUSTOS_TOKEN_PEPPER: 'p'.repeat(32), CUSTOS_MASTER_KEY: 'm'.repeat(32) });
    expect([...documented].sort()).toEqual(schedules(config).map((s) => s.jobName).sort());
  });
});
