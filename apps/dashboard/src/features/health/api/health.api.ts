import { ApiError, isRecord, readJson, send, toProblem } from '../../../shared/api/http';

export type CheckState = 'ok' | 'failing';

export interface HealthCheck {
  name: string;
  state: CheckState;
  message?: string;
}

/** GET /health/ready, reduced to what the status panel shows. */
export interface Readiness {
  ready: boolean;
  checks: HealthCheck[];
  /** The API's explanation when it is not ready and says why in a problem body. */
  detail?: string;
}

const OK_STATES = new Set(['up', 'ok', 'pass', 'healthy']);

/** 200 means ready and 503 not ready; both carry the per-check results. Anything else is an error. */
export async function fetchReadiness(signal?: AbortSignal): Promise<Readiness> {
  const response = await send('/health/ready', signal ? { signal } : {});
  const body = await readJson(response);
  if (response.ok || response.status === 503) return toReadiness(response.ok, body);
  throw new ApiError(toProblem(response.status, response.statusText, body));
}

/**
 * Reads a readiness body. Accepts the @nestjs/terminus shape (`{ status, info, error, details }` with
 * `{ status: 'up' | 'down', message? }` per check) and a plain `{ status, checks: { name: 'ok' } }`.
 */
export function toReadiness(httpOk: boolean, body: unknown): Readiness {
  if (!isRecord(body)) return { ready: httpOk, checks: [] };

  const results = firstRecord(body.details, body.checks) ?? { ...asRecord(body.info), ...asRecord(body.error) };
  const checks = Object.entries(results).map(([name, result]): HealthCheck => {
    const status = typeof result === 'string' ? result : isRecord(result) ? result.status : undefined;
    const message = isRecord(result) && typeof result.message === 'string' ? result.message : undefined;
    return {
      name,
      state: typeof status === 'string' && OK_STATES.has(status.toLowerCase()) ? 'ok' : 'failing',
      ...(message ? { message } : {}),
    };
  });
  const overall = typeof body.status === 'string' ? OK_STATES.has(body.status.toLowerCase()) : true;
  const detail = typeof body.detail === 'string' ? body.detail : undefined;

  return {
    ready: httpOk && overall && checks.every((check) => check.state === 'ok'),
    checks,
    ...(detail ? { detail } : {}),
  };
}

function firstRecord(...values: unknown[]): Record<string, unknown> | undefined {
  return values.find(isRecord);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
