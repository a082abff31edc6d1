import { ErrorCode } from '@custos/contracts';
import { safeEqual, sha256Hex } from '@custos/crypto';
import { DomainError } from '@custos/domain';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Who may scrape /metrics: anyone when no CUSTOS_METRICS_TOKEN is set (restrict it at the network),
 * else whoever presents that token as a bearer. Digests are compared, so the time taken says nothing
 * about the token, its length included.
 */
export function checkMetricsAccess(authorization: string | undefined, token: string | undefined): void {
  if (token === undefined) return;
  const presented = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (presented === undefined) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Send the metrics token as `Authorization: Bearer <CUSTOS_METRICS_TOKEN>`.');
  if (!safeEqual(sha256Hex(presented), sha256Hex(token))) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The metrics token is not valid.');
}
