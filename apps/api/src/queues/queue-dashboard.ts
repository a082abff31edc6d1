/// <reference types="@fastify/cookie" />
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { AuthService, InstallationService } from '@custos/application';
import { ErrorCode, QUEUES, RedisKeys, type Role } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import type { CustosConfig } from '@custos/runtime';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../auth/session-cookie';
import { sendProblem } from '../http/problem-details.filter';
import { securityHeadersWith } from '../http/security-headers';
import { CUSTOS_CONFIG } from '../infrastructure/config.provider';
import { apiQueueConnection, closeQueue } from '../infrastructure/redis.provider';

/** Where bull-board is mounted: outside /v1, so it is not part of the API or its OpenAPI document. */
const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** The queues are shared by every tenant: only the people who run a tenant may look or act. */
const QUEUE_DASHBOARD_ROLES: readonly Role[] = ['owner', 'admin'];

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * bull-board's page and its script bundles are same-origin files and its configuration is a JSON data
 * block, so the app's policy already lets it run; this copy only states what the board needs, on its
 * routes alone. Its Google Fonts stylesheet stays blocked on purpose (no third-party requests from an
 * admin page); the board falls back to system fonts.
 */
const DASHBOARD_CSP = {
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    workerSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
    baseUri: ["'self'"],
    objectSrc: ["'none'"],
  },
};

const DASHBOARD_SECURITY_HEADERS = securityHeadersWith({ contentSecurityPolicy: DASHBOARD_CSP });

/** BullMQ handles on every queue of the contract, for bull-board; closed with the app. */
@Injectable()
export class QueueDashboard implements OnApplicationShutdown {
  readonly queues: Queue[];

  constructor(@Inject(CUSTOS_CONFIG) config: CustosConfig, keys: RedisKeys) {
    this.queues = Object.values(QUEUES).map((name) => {
      const queue = new Queue(name, {
        connection: apiQueueConnection(config, 'custos-api-queue-dashboard'),
        prefix: keys.queuePrefix,
      });
      // Connection errors while Redis is away: the board's requests fail and readiness reports it.
      queue.on('error', () => undefined);
      return queue;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map(closeQueue));
  }
}

/**
 * A state-changing request must come from a page of this origin. bull-board's UI cannot send our CSRF
 * header, but browsers send `Origin` on every POST/PUT/PATCH/DELETE and `Sec-Fetch-Site` on every
 * request; a request carrying neither is not from a browser page of ours and is refused too.
 */
function isSameOriginRequest(headers: FastifyRequest['headers']): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = headers.origin;
  if (origin === undefined) return site === 'same-origin';
  try {
    return new URL(origin).host === headers.host;
  } catch {
    // "null" (sandboxed frames, some redirects) or garbage: not us.
    return false;
  }
}

/**
 * The board spans every tenant (and can pause or empty the queues), so only the operators of the
 * installation may use it: owners and admins of its operator tenant (InstallationService).
 */
async function authorize(
  request: FastifyRequest,
  auth: Pick<AuthService, 'authenticateSession'>,
  installation: Pick<InstallationService, 'operatorTenantId'>,
): Promise<void> {
  // The dashboard's session only: service keys manage tokens, not the process's queues.
  const sessionToken = request.cookies?.[SESSION_COOKIE];
  if (!sessionToken) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Log in to the dashboard first.');
  const principal = await auth.authenticateSession(sessionToken);
  if (!principal) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The session has ended; log in again.');
  if (principal.role === null || !QUEUE_DASHBOARD_ROLES.includes(principal.role)) {
    throw new DomainError(ErrorCode.FORBIDDEN, 'The queue dashboard is for owners and admins.');
  }
  if (principal.tenantId !== (await installation.operatorTenantId())) {
    throw new DomainError(
      ErrorCode.FORBIDDEN,
      "The queue dashboard spans every tenant: it is for the installation's operators (CUSTOS_OPERATOR_TENANT_ID, or the tenant bootstrapped from CUSTOS_ADMIN_EMAIL).",
    );
  }
  if (!SAFE_METHODS.has(request.method) && !isSameOriginRequest(request.headers)) {
    throw new DomainError(ErrorCode.CSRF_FAILED, 'Changes from the queue dashboard must come from its own pages (Origin).');
  }
}

/**
 * Mounts bull-board at /admin/queues in a Fastify scope of its own, so the session check and the
 * route-scoped CSP apply to its pages, static files and JSON API and to nothing else.
 */
export async function registerQueueDashboard(
  fastify: FastifyInstance,
  deps: { auth: Pick<AuthService, 'authenticateSession'>; dashboard: QueueDashboard; installation: Pick<InstallationService, 'operatorTenantId'> },
): Promise<void> {
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: deps.dashboard.queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Custos queues', hideDocsLink: true } },
  });
  await fastify.register(async (scope) => {
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      // After the instance's own hook: these replace the headers it set.
      void reply.headers(DASHBOARD_SECURITY_HEADERS);
      try {
        await authorize(request, deps.auth, deps.installation);
      } catch (error) {
        sendProblem(reply, request, error);
        return reply;
      }
      void reply.header('cache-control', 'no-store');
      return undefined;
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
