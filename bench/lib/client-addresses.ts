/**
 * The public addresses verifies come from (context.ip), in turn: `count` clients, four in five in
 * Germany's 85.214.0.0/15 (inside the EU geofence), one in five in 3.80.0.0/12 (United States: a
 * cross-border use). Clients recur, as a service's users do; BENCH_CLIENTS=100000 makes nearly every
 * use one from an address not seen lately (past the api's cache of located clients).
 */
export function clientAddresses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const host = `${(i >> 8) & 255}.${i & 255}`;
    return i % 5 === 4 ? `3.${80 + ((i >> 16) & 15)}.${host}` : `85.${214 + ((i >> 16) & 1)}.${host}`;
  });
}
