import { Inject, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  isWebhookEventType,
  WEBHOOK_SECRET_GRACE_DEFAULT_SECONDS,
  WEBHOOK_SECRET_GRACE_MAX_SECONDS,
  type FieldError,
  type WebhookEventType,
} from '@custos/contracts';
import { generateWebhookSecret, SecretBox } from '@custos/crypto';
import { DomainError, newId } from '@custos/domain';
import {
  Database,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
  type WebhookEndpointChanges,
} from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { requireScope } from '../shared/require-scope';
import { auditedUrl, requireLiveWebhook, requireWebhook } from './webhook-lookups';
import { WEBHOOK_SECRET_PURPOSE, webhookSecretContext } from './webhook-secret';
import { WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings';
import { checkWebhookUrl } from './webhook-url';
import type { CreatedWebhook, WebhookView } from './webhook-views';

export type WebhookEndpoints = Pick<
  WebhookEndpointRepository,
  'serialiseChanges' | 'countLive' | 'insert' | 'listLive' | 'findById' | 'lockById' | 'update' | 'rotateSecret' | 'markDeleted'
>;
export type PendingDeliveries = Pick<WebhookDeliveryRepository, 'cancelPending'>;

/** Every event an endpoint receives fans out to one delivery per endpoint: keep the fan-out bounded. */
export const MAX_WEBHOOKS_PER_TENANT = 50;

export interface WebhookInput {
  url: string;
  events: string[];
  description?: string | null | undefined;
}

/** An edit: only the fields given change. */
export interface WebhookChangesInput {
  url?: string | undefined;
  events?: string[] | undefined;
  description?: string | null | undefined;
  enabled?: boolean | undefined;
}

export interface SecretRotationInput {
  /** How long the current secret keeps signing beside the new one; the default is a day, 0 drops it at once. */
  gracePeriodSeconds?: number | undefined;
}

interface CheckedFields {
  url?: string;
  events?: WebhookEventType[];
}

const sameEvents = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((e) => b.includes(e));

/** Webhook endpoints: register, read, edit, enable or disable, rotate the signing secret, delete. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly box: SecretBox,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
    @Inject(WebhookEndpointRepository) private readonly endpoints: WebhookEndpoints,
    @Inject(WebhookDeliveryRepository) private readonly webhookDeliveries: PendingDeliveries,
  ) {}

  /** The signing secret is in this answer only; it is stored sealed, for the worker to sign with. */
  async create(principal: Principal, input: WebhookInput, meta: RequestMeta): Promise<CreatedWebhook> {
    requireScope(principal, 'custos:webhooks:write');
    const { url, events } = await this.validate(input);
    const id = newId('whk');
    const secret = generateWebhookSecret();
    const sealed = this.box.seal(WEBHOOK_SECRET_PURPOSE, webhookSecretContext(principal.tenantId, id), secret);
    const description = input.description ?? null;
    return this.db.tenant(principal.tenantId, async (tx) => {
      await this.endpoints.serialiseChanges(tx);
      if ((await this.endpoints.countLive(tx)) >= MAX_WEBHOOKS_PER_TENANT) {
        throw new DomainError(ErrorCode.CONFLICT, `A tenant can have at most ${MAX_WEBHOOKS_PER_TENANT} webhooks; delete one first.`);
      }
      const webhook = await this.endpoints.insert(tx, { id, url, events, secretSealed: sealed, description, createdBy: principal.id });
      await this.audit.record(tx, meta, {
        action: 'webhook.created',
        actor: actorOf(principal),
        target: { type: 'webhook', id },
        data: { url: auditedUrl(url), events },
      });
      return { webhook, secret };
    });
  }

  /** The live endpoints, newest first (at most MAX_WEBHOOKS_PER_TENANT, so one page). */
  async list(principal: Principal): Promise<WebhookView[]> {
    requireScope(principal, 'custos:webhooks:read');
    return this.db.tenant(principal.tenantId, (tx) => this.endpoints.listLive(tx));
  }

  /** Deleted endpoints too: their history stays readable. */
  async get(principal: Principal, id: string): Promise<WebhookView> {
    requireScope(principal, 'custos:webhooks:read');
    return this.db.tenant(principal.tenantId, async (tx) => requireWebhook(await this.endpoints.findById(tx, id)));
  }

  /**
   * URL (checked as on creation), events, description, enabled. A disabled endpoint gets no new
   * deliveries, and its pending ones are cancelled with the change (re-send them once it is enabled
   * again). Recorded with what changed, before and after; the description's text is not kept there.
   */
  async update(principal: Principal, id: string, input: WebhookChangesInput, meta: RequestMeta): Promise<WebhookView> {
    requireScope(principal, 'custos:webhooks:write');
    const checked = await this.validate(input);
    return this.db.tenant(principal.tenantId, async (tx) => {
      const endpoint = requireLiveWebhook(await this.endpoints.lockById(tx, id));
      const changes: WebhookEndpointChanges = {};
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      if (checked.url !== undefined && checked.url !== endpoint.url) {
        changes.url = checked.url;
        before.url = auditedUrl(endpoint.url);
        after.url = auditedUrl(checked.url);
      }
      if (checked.events !== undefined && !sameEvents(checked.events, endpoint.events)) {
        changes.events = checked.events;
        before.events = endpoint.events;
        after.events = checked.events;
      }
      if (input.description !== undefined && input.description !== endpoint.description) changes.description = input.description;
      if (input.enabled !== undefined && input.enabled !== endpoint.enabled) {
        changes.enabled = input.enabled;
        before.enabled = endpoint.enabled;
        after.enabled = input.enabled;
      }
      const changed = Object.keys(changes);
      if (changed.length === 0) return endpoint;
      const webhook = await this.endpoints.update(tx, id, changes);
      const cancelled = changes.enabled === false ? await this.webhookDeliveries.cancelPending(tx, id) : 0;
      await this.audit.record(tx, meta, {
        action: 'webhook.updated',
        actor: actorOf(principal),
        target: { type: 'webhook', id },
        data: { changed, before, after, ...(changes.enabled === false ? { cancelledDeliveries: cancelled } : {}) },
      });
      return webhook;
    });
  }

  /**
   * A new signing secret, in this answer only, stored sealed like the first. The secret it replaces
   * keeps signing beside it for the grace period (every delivery then carries both signatures), so a
   * receiver can switch to the new secret whenever it likes within that time; with 0 it stops at once.
   * A secret rotated out earlier stops signing now: at most two sign at any time.
   */
  async rotateSecret(principal: Principal, id: string, input: SecretRotationInput, meta: RequestMeta): Promise<CreatedWebhook> {
    requireScope(principal, 'custos:webhooks:write');
    const grace = input.gracePeriodSeconds ?? WEBHOOK_SECRET_GRACE_DEFAULT_SECONDS;
    if (!Number.isInteger(grace) || grace < 0 || grace > WEBHOOK_SECRET_GRACE_MAX_SECONDS) {
      throw DomainError.validation([
        { field: 'gracePeriodSeconds', message: `must be a whole number of seconds from 0 to ${WEBHOOK_SECRET_GRACE_MAX_SECONDS}` },
      ]);
    }
    const secret = generateWebhookSecret();
    const sealed = this.box.seal(WEBHOOK_SECRET_PURPOSE, webhookSecretContext(principal.tenantId, id), secret);
    return this.db.tenant(principal.tenantId, async (tx) => {
      requireLiveWebhook(await this.endpoints.lockById(tx, id));
      const previousSignsUntil = grace > 0 ? new Date(Date.now() + grace * 1000) : null;
      const webhook = await this.endpoints.rotateSecret(tx, id, { secretSealed: sealed, previousSignsUntil });
      await this.audit.record(tx, meta, {
        action: 'webhook.secret_rotated',
        actor: actorOf(principal),
        target: { type: 'webhook', id },
        data: { gracePeriodSeconds: grace, previousSignsUntil: previousSignsUntil?.toISOString() ?? null },
      });
      return { webhook, secret };
    });
  }

  /** The endpoint gets nothing more: its pending deliveries are cancelled with it, in one transaction. */
  async delete(principal: Principal, id: string, meta: RequestMeta): Promise<void> {
    requireScope(principal, 'custos:webhooks:write');
    await this.db.tenant(principal.tenantId, async (tx) => {
      await this.endpoints.serialiseChanges(tx);
      const endpoint = requireWebhook(await this.endpoints.findById(tx, id));
      if (endpoint.deletedAt) throw new DomainError(ErrorCode.CONFLICT, 'The webhook is already deleted.');
      await this.endpoints.markDeleted(tx, id);
      const cancelled = await this.webhookDeliveries.cancelPending(tx, id);
      await this.audit.record(tx, meta, {
        action: 'webhook.deleted',
        actor: actorOf(principal),
        target: { type: 'webhook', id },
        data: { url: auditedUrl(endpoint.url), cancelledDeliveries: cancelled },
      });
    });
  }

  /** The URL and events given, checked and normalised; each absent one stays absent. */
  private validate(input: WebhookInput): Promise<Required<CheckedFields>>;
  private validate(input: WebhookChangesInput): Promise<CheckedFields>;
  private async validate(input: WebhookChangesInput): Promise<CheckedFields> {
    const errors: FieldError[] = [];
    const checked: CheckedFields = {};
    if (input.events !== undefined) {
      const events = [...new Set(input.events)];
      if (events.length === 0) errors.push({ field: 'events', message: 'must name at least one event' });
      events.forEach((event) => {
        if (!isWebhookEventType(event)) errors.push({ field: 'events', message: `${event} is not a webhook event` });
      });
      checked.events = events.filter(isWebhookEventType);
    }
    if (input.url !== undefined) {
      const url = await checkWebhookUrl(input.url.trim(), this.settings.allowPrivateUrls);
      if ('problem' in url) errors.push({ field: 'url', message: url.problem });
      else checked.url = url.url;
    }
    if (errors.length > 0) throw DomainError.validation(errors);
    return checked;
  }
}
