import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled milliseconds outside (idle). */
  busyMs: number;
  idleMs: number;
  /** Self time grouped by what the code is for (see concernOf). */
  selfByConcern: Array<{ area: string; ms: number; share: number }>;
  /** Where the code that was running lives: node_modules package, custos lib, node core, GC... */
  selfByArea: Array<{ area: string; ms: number; share: number }>;
  /** Time with at least one frame of the area on the stack (a package's own code plus what it calls). */
  inclusiveByArea: Array<{ area: string; ms: number; share: number }>;
  topFunctions: Array<{ fn: string; area: string; ms: number; share: number }>;
  /** Time with a stage's frame on the stack (stages can nest, so shares need not add up to 100). */
  stages: Array<{ area: string; ms: number; share: number }>;
}

/** Request stages of the api, recognised by a frame on the stack: `package-or-file function`. */
const STAGES: Array<[string, RegExp]> = [
  ['ValidationPipe (class-transformer + class-validator)', /^@nestjs\/common\/pipes\/validation\.pipe\.js transform$/],
  ['helmet headers', /^@fastify\/helmet\/index\.js helmetApplyHeaders$/],
  ['Nest middleware via middie (pino-http)', /^@fastify\/middie\/index\.js runMiddie$/],
  ['pino-http request logger', /^pino-http\/logger\.js loggingMiddleware$/],
  ['JSON body parsing', /^fastify\/lib\/content-type-parser\.js defaultJsonParser$/],
  ['auth guard', /^apps\/api\/src\/auth\/auth\.guard\.js canActivate$/],
  ['service-key check (VerifyService.authenticateServiceKey)', /^libs\/application\/src\/verify\/verify\.service\.js authenticateServiceKey$/],
  ['token check (VerifyService.verify)', /^libs\/application\/src\/verify\/verify\.service\.js verify$/],
  ['HMAC (createHmac)', /^node:crypto createHmac$/],
  ['issue use case (TokenIssuer transaction body)', /^libs\/application\/src\/tokens\/token-issuer\.service\.js (issue|)$/],
  ['TypeORM query (PostgresQueryRunner.query)', /^typeorm\/driver\/postgres\/PostgresQueryRunner\.js query$/],
  ['audit sealer (sealBatch)', /^libs\/application\/src\/audit\/audit-sealer\.js sealBatch$/],
  ['http metrics hook', /^apps\/api\/src\/observability\/http-metrics\.js $/],
  ['response send (Nest reply -> fastify onSend -> socket)', /^@nestjs\/platform-fastify\/adapters\/fastify-adapter\.js reply$/],
  ['socket writes (writev)', /^node:net Socket\._writev$/],
  ['garbage collector', /^ \(garbage collector\)$/],
];

function stageKey(frame: CallFrame): string {
  return `${frame.url.replace(/^.*\/(node_modules|dist)\//, '')} ${frame.functionName}`;
}

/** Groups a frame by where its code lives. */
function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const custos = /\/dist\/(apps\/[^/]+|libs\/[^/]+)\//.exec(url);
  if (custos) return `custos:${custos[1]}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  return url;
}

const CONCERNS: Array<[string, RegExp]> = [
  ['validation (class-validator/-transformer)', /^(class-validator|class-transformer|validator|libphonenumber-js)$/],
  ['security headers (helmet)', /^(helmet|@fastify\/helmet)$/],
  ['logging (pino, pino-http, redaction)', /^(pino|pino-http|pino-std-serializers|nestjs-pino|sonic-boom|fast-redact|custos:libs\/runtime)$/],
  ['metrics (prom-client)', /^(prom-client|tdigest|bintrees)$/],
  ['async context (async_hooks)', /^(node:internal\/async_hooks|node:async_hooks|native:init|native:promiseInitHook)$/],
  ['nest pipeline (core, guards, pipes, middie)', /^(@nestjs\/.*|iterare|rxjs|reflect-metadata|@fastify\/middie|path-to-regexp|tslib|uid)$/],
  ['database driver (typeorm, pg)', /^(typeorm|pg|pg-protocol|pg-pool|pg-types|postgres-array|postgres-date|postgres-interval|postgres-bytea|buffer-writer|packet-reader|sha\.js|app-root-path|dayjs)$/],
  ['http, json, sockets (fastify, node)', /^(fastify|find-my-way|avvio|fastq|light-my-request|secure-json-parse|fast-json-stringify|@fastify\/.*|toad-cache|fast-querystring|abstract-logging|node:_http_.*|node:net|node:internal\/(streams|stream_base_commons|http|url)|node:events|node:buffer|node:internal\/buffer|native:writev|native:writeBuffer|native:writeUtf8String|native:writeLatin1String)$/],
  ['custos code + its crypto', /^(custos:.*|node:internal\/crypto|native:(Hmac|digest|crc32|update|hash|timingSafeEqual)|json-canonicalize)$/],
  ['garbage collector', /^\(garbage collector\)$/],
  ['promise/microtask machinery', /^(native:runMicrotasks|node:internal\/process)$/],
];

/** Groups an area (native frames as native:<name>) into the concern it serves. */
function concernOf(area: string): string {
  for (const [name, pattern] of CONCERNS) if (pattern.test(area)) return name;
  return 'other';
}

export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<string, number>();
  const concerns = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const functions = new Map<string, { area: string; ms: number }>();
  const stages = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);

  for (let i = 0; i < profile.samples.length; i++) {
    // timeDeltas[i] is the time since the previous sample; charge it to the frame sampled next.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const leaf = byId.get(profile.samples[i]!);
    if (!leaf) continue;
    const name = leaf.callFrame.functionName;
    if (name === '(idle)') {
      idle += ms;
      continue;
    }
    busy += ms;
    const area = areaOf(leaf.callFrame);
    add(self, area, ms);
    add(concerns, concernOf(area === '(native)' ? `native:${name}` : area), ms);
    const fn = `${name || '(anonymous)'} ${leaf.callFrame.url.replace(/^.*\/(node_modules|dist)\//, '')}:${leaf.callFrame.lineNumber + 1}`;
    const entry = functions.get(fn) ?? { area, ms: 0 };
    entry.ms += ms;
    functions.set(fn, entry);
    const seen = new Set<string>();
    const inStages = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (frame.functionName === '(root)') continue;
      seen.add(areaOf(frame));
      const key = stageKey(frame);
      for (const [stage, pattern] of STAGES) if (pattern.test(key)) inStages.add(stage);
    }
    for (const a of seen) add(inclusive, a, ms);
    for (const stage of inStages) add(stages, stage, ms);
  }
  const rows = (map: Map<string, number>) =>
    [...map.entries()]
      .map(([area, ms]) => ({ area, ms: Math.round(ms), share: Math.round((ms / busy) * 1000) / 10 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top);
  return {
    busyMs: Math.round(busy),
    idleMs: Math.round(idle),
    selfByConcern: rows(concerns),
    selfByArea: rows(self),
    inclusiveByArea: rows(inclusive),
    stages: rows(stages),
    topFunctions: [...functions.entries()]
      .map(([fn, v]) => ({ fn, area: v.area, ms: Math.round(v.ms), share: Math.round((v.ms / busy) * 1000) / 10 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top),
  };
}

export function formatSummary(title: string, s: ProfileSummary): string {
  const lines = [`${title}: ${s.busyMs} ms busy, ${s.idleMs} ms idle (shares are of busy time)`];
  lines.push('  self time by concern:');
  for (const r of s.selfByConcern) lines.push(`    ${String(r.share).padStart(5)}%  ${r.area}`);
  lines.push('  stages (inclusive: time with the stage on the stack):');
  for (const r of s.stages) lines.push(`    ${String(r.share).padStart(5)}%  ${r.area}`);
  lines.push('  self time by area:');
  for (const r of s.selfByArea.slice(0, 15)) lines.push(`    ${String(r.share).padStart(5)}%  ${r.area}`);
  lines.push('  inclusive (area on the stack):');
  for (const r of s.inclusiveByArea.slice(0, 15)) lines.push(`    ${String(r.share).padStart(5)}%  ${r.area}`);
  lines.push('  top functions (self):');
  for (const r of s.topFunctions.slice(0, 20)) lines.push(`    ${String(r.share).padStart(5)}%  ${r.fn}`);
  return lines.join('\n');
}
