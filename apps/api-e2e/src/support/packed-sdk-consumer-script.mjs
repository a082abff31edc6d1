// A service using the packed @custos/node: the test copies this file into a project that installed the
// tarball (so `@custos/node` is the package, not the sources) and drives it through packed-sdk-consumer.ts:
// one JSON command a line on stdin, one JSON answer a line on stdout, in order. CUSTOS_URL and
// CUSTOS_SERVICE_KEY say where Custos is and the key to verify with.
//
// Commands ({ "do": … }), each answered with the verifier's metrics besides what is listed:
//   verify { token, times }  verifies `times` times in a row     → { results: [{ code, valid, cached, ms }] }
//   watch { token }          verifies in a loop until refused    → { first: { code, valid, cached } } at once
//   watched                  waits for the loop's end            → { refusedAt, code, cached, valid, validCached }
//   feed { connected }       waits until the feed is (not) connected
//   cut / restore            cuts the events feed (its open stream and every new one), or lets it through
//   close                    closes the verifier: reports what is pending, ends the feed
import { createInterface } from 'node:readline';
import { createVerifier } from '@custos/node';

const WAIT_MS = 10_000;
const WATCH_MS = 5_000;

/** A wall-clock time in fractions of a millisecond, comparable with the test process's. */
const now = () => performance.timeOrigin + performance.now();
/** Leaves the event loop to the feed and the reporter, as a service does between requests. */
const yieldToEvents = () => new Promise((resolve) => setImmediate(resolve));

// The feed alone goes through this switch; verifies and usage reports always reach Custos.
let feedOpen = true;
let feedCutter = new AbortController();
function network(request) {
  if (!new URL(request.url).pathname.endsWith('/v1/events/stream')) return fetch(request);
  if (!feedOpen) return Promise.reject(new TypeError('fetch failed: the test cut the feed'));
  return fetch(new Request(request, { signal: AbortSignal.any([request.signal, feedCutter.signal]) }));
}

const verifier = createVerifier({
  baseUrl: process.env.CUSTOS_URL,
  serviceKey: process.env.CUSTOS_SERVICE_KEY,
  fetch: network,
  // Short, so a restored feed is back within moments rather than seconds. Reports keep their default
  // interval: sent more often, they load the embedded database the revocations are measured against.
  feedReconnectMaxMs: 200,
});

async function verifyOnce(token, scopes) {
  const started = performance.now();
  const { code, valid, cached } = await verifier.verify(token, scopes ? { scopes } : {});
  return { code, valid, cached, ms: performance.now() - started };
}

async function waitFor(condition, what) {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not within ${WAIT_MS} ms: ${JSON.stringify(verifier.metrics())}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Verifies until refused; counts the VALID answers on the way (all in the token's uses). */
async function watch(token, first) {
  const deadline = Date.now() + WATCH_MS;
  let valid = first.valid ? 1 : 0;
  let validCached = first.valid && first.cached ? 1 : 0;
  let answer = first;
  while (answer.valid) {
    if (Date.now() > deadline) return { refusedAt: null, code: answer.code, cached: answer.cached, valid, validCached };
    await yieldToEvents();
    answer = await verifier.verify(token);
    if (answer.valid) {
      valid++;
      if (answer.cached) validCached++;
    }
  }
  return { refusedAt: now(), code: answer.code, cached: answer.cached, valid, validCached };
}

let watching = null;

async function answer(command) {
  switch (command.do) {
    case 'verify': {
      const results = [];
      for (let i = 0; i < command.times; i++) {
        results.push(await verifyOnce(command.token, command.scopes));
        await yieldToEvents();
      }
      return { results };
    }
    case 'watch': {
      const first = await verifyOnce(command.token);
      watching = watch(command.token, first);
      return { first };
    }
    case 'watched': {
      const outcome = await watching;
      watching = null;
      return outcome;
    }
    case 'feed':
      await waitFor(() => (verifier.metrics().feed === 'connected') === command.connected, `feed ${command.connected ? '' : 'not '}connected`);
      return {};
    case 'cut':
      feedOpen = false;
      feedCutter.abort(new Error('the test cut the feed'));
      return {};
    case 'restore':
      feedCutter = new AbortController();
      feedOpen = true;
      return {};
    case 'close':
      await verifier.close();
      return {};
    default:
      throw new Error(`unknown command ${JSON.stringify(command)}`);
  }
}

// One command at a time, in order, but the input is read meanwhile: a `watch` loop runs across commands.
let queue = Promise.resolve();
const input = createInterface({ input: process.stdin });
// The test went away: the open feed would keep the process alive.
input.on('close', () => void queue.then(() => verifier.close()).finally(() => process.exit(0)));
input.on('line', (line) => {
  queue = queue.then(async () => {
    let reply;
    try {
      reply = { ...(await answer(JSON.parse(line))), metrics: verifier.metrics() };
    } catch (error) {
      reply = { error: error instanceof Error ? error.stack : String(error) };
    }
    process.stdout.write(`${JSON.stringify(reply)}\n`);
  });
});
