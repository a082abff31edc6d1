import { readFileSync } from 'node:fs';
import { AddressHasher, TokenHasher } from '@custos/crypto';
import { clientAddressOf, isPublicAddress, networkOf } from '@custos/domain';
import { Reader, type Response } from 'maxmind';
import { BUNDLED_COUNTRY_DATABASE, CountryLocator } from '../libs/runtime/src/geo/country-locator';
import { median, round } from './lib/stats';

/**
 * `npm run bench:geo`: what locating a client costs per use (docs/benchmarks.md#geolocation). Over
 * BENCH_GEO_ADDRESSES (default 1,000,000) random public addresses per family (seeded, so every run
 * asks the same), each step on its own, median of BENCH_ROUNDS rounds: the MMDB lookup alone, reading
 * the address (clientAddressOf), the country, networkOf, the keyed address hash, and all that one usage
 * event needs. No database, no network.
 */

const COUNT = Number(process.env.BENCH_GEO_ADDRESSES ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** mulberry32: a small seeded generator, so the addresses are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function addresses(count: number, make: () => string, keep: (address: string) => boolean): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const address = make();
    if (keep(address)) out.push(address);
  }
  return out;
}

/** Median nanoseconds per call over ROUNDS passes through `list`, after a warm-up pass over a tenth. */
function nanosPerCall(list: readonly string[], work: (address: string) => unknown): number {
  let sink = 0;
  for (let i = 0; i < list.length / 10; i++) if (work(list[i]!)) sink++;
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < list.length; i++) if (work(list[i]!)) sink++;
    rounds.push(Number(process.hrtime.bigint() - started) / list.length);
  }
  if (sink < 0) console.log(sink); // keeps the results alive
  return median(rounds);
}

function main(): void {
  const opening = process.hrtime.bigint();
  const locator = CountryLocator.open();
  const openMs = Number(process.hrtime.bigint() - opening) / 1e6;
  const reader = new Reader<Response>(readFileSync(BUNDLED_COUNTRY_DATABASE));
  const hasher = new AddressHasher(new TokenHasher({ id: 'p1', secret: 'bench-pepper-'.padEnd(40, 'x') }));
  const TENANT = 'ten_bench_geo';

  const next = random(15);
  const hex = () => (next() & 0xffff).toString(16);
  const IPV4 = addresses(COUNT, () => [next() >>> 24, next() & 0xff, next() & 0xff, next() & 0xff].join('.'), isPublicAddress);
  // Random IPv6 almost always falls in unallocated space, which no client comes from: drawn from blocks
  // the registries hand out (2001:200::-2001:4fff::, and 2400::/16, 2600::/16, 2a00::/16 of APNIC, ARIN,
  // RIPE), about one in five located, and kept when the database knows where it is.
  const prefix = () => {
    const block = next() % 4;
    return block === 0 ? `2001:${(0x200 + (next() % 0x4e00)).toString(16)}` : `${['240', '260', '2a0'][block - 1]}${(next() % 16).toString(16)}:${hex()}`;
  };
  const IPV6 = addresses(COUNT, () => `${prefix()}:${hex()}:${hex()}::${hex()}`, (a) => reader.get(a) !== null && isPublicAddress(a));

  // What recording one use needs: the address read once, its country, network and keyed hash.
  const event = (ip: string) => {
    const client = clientAddressOf(ip)!;
    return [locator.countryOfClient(client), client.network, hasher.hash(TENANT, client.address)];
  };
  const steps: Array<[string, (address: string) => unknown]> = [
    ['MMDB lookup alone (maxmind Reader.get)', (a) => reader.get(a)],
    ['clientAddressOf (parse, canonical form, network, public?)', (a) => clientAddressOf(a)],
    ['CountryLocator.countryOf (reads the address, then looks up)', (a) => locator.countryOf(a)],
    ['networkOf alone', (a) => networkOf(a)],
    ['AddressHasher.hash (tenant key cached)', (a) => hasher.hash(TENANT, a)],
    ['one usage event: clientAddressOf + country + hash', event],
  ];
  const located = (list: readonly string[]) => list.filter((a) => locator.countryOf(a) !== null).length / list.length;

  console.log(`${locator.info.path}`);
  console.log(`  ${locator.info.databaseType}, built ${locator.info.builtAt.toISOString().slice(0, 10)}; opened in ${round(openMs, 1)} ms`);
  console.log(`${COUNT.toLocaleString('en')} random public addresses per family, median of ${ROUNDS} rounds`);
  console.log(`  with a country: IPv4 ${round(located(IPV4) * 100, 1)} %, IPv6 ${round(located(IPV6) * 100, 1)} %`);
  console.log('');
  console.log('| step | IPv4 µs | IPv4 per second | IPv6 µs | IPv6 per second |');
  console.log('|---|---|---|---|---|');
  const perSecond = (nanos: number) => Math.round(1e9 / nanos).toLocaleString('en');
  for (const [what, work] of steps) {
    const [v4, v6] = [nanosPerCall(IPV4, work), nanosPerCall(IPV6, work)];
    console.log(`| ${what} | ${round(v4 / 1000, 3)} | ${perSecond(v4)} | ${round(v6 / 1000, 3)} | ${perSecond(v6)} |`);
  }
}

main();
