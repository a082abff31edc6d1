import { formatSummary, summarizeProfile } from './lib/profile-summary';

/** `node dist/bench/profile-summary.js <file.cpuprofile>...`: where the sampled time went. */
const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: node dist/bench/profile-summary.js <file.cpuprofile>...\n');
  process.exitCode = 2;
}
for (const file of files) process.stdout.write(`${formatSummary(file, summarizeProfile(file))}\n\n`);
