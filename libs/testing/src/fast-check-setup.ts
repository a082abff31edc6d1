/**
 * Jest setup for property tests (fast-check): each run draws a fresh random seed, and a failing
 * property prints its seed and counterexample. `CUSTOS_FC_SEED=<seed> npm test -- <path>` replays
 * that run exactly (README, "Test it"). Each property keeps its own `numRuns` small enough to stay
 * within a few seconds.
 */
const seed = process.env.CUSTOS_FC_SEED;
if (seed !== undefined && seed !== '') {
  const value = Number(seed);
  if (!Number.isSafeInteger(value)) throw new Error(`CUSTOS_FC_SEED must be the integer seed a failing property printed, not ${seed}`);
  // Loaded only for a replay: every test file runs this setup, and most of them have no properties.
  const fc = require('fast-check') as typeof import('fast-check');
  fc.configureGlobal({ seed: value });
}
