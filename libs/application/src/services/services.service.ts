import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@custos/contracts';
import { DomainError, newId, normalizeScopes, scopeFieldErrors } from '@custos/domain';
import { normalizePublicJwk, type PublicJwk } from '@custos/crypto';
import {
  Database,
  PG_UNIQUE_VIOLATION,
  ServiceRepository,
  pgErrorCode,
  type ServiceChanges,
  type ServiceEntity,
  type Tx,
} from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { requireScope } from '../shared/require-scope';
import { Stewards } from '../stewards/stewards';

export interface ServiceView {
  id: string;
  name: string;
  description: string | null;
  ownerContact: string | null;
  allowedScopes: string[];
  publicJwk: PublicJwk | null;
  /** The user accountable for the service and, by default, for the tokens its keys issue. */
  stewardUserId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ServiceInput {
  name?: string | undefined;
  description?: string | null | undefined;
  ownerContact?: string | null | undefined;
  allowedScopes?: string[] | undefined;
  publicJwk?: Record<string, unknown> | null | undefined;
  /** Naming one takes custos:users:write. Default: the creator (a service key's own service's steward). */
  stewardUserId?: string | undefined;
}

function toView(s: ServiceEntity): ServiceView {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    ownerContact: s.ownerContact,
    allowedScopes: s.allowedScopes,
    publicJwk: s.publicJwk,
    stewardUserId: s.stewardUserId,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export type ServiceStore = Pick<ServiceRepository, 'insert' | 'list' | 'findById' | 'lockById' | 'update'>;

@Injectable()
export class ServicesService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    @Inject(ServiceRepository) private readonly services: ServiceStore,
    private readonly stewards: Stewards,
  ) {}

  async create(principal: Principal, input: ServiceInput & { name: string }, meta: RequestMeta): Promise<ServiceView> {
    requireScope(principal, 'custos:services:write');
    const changes = await this.validate(input);
    const now = new Date();
    const service: ServiceEntity = {
      tenantId: principal.tenantId,
      id: newId('svc'),
      name: input.name,
      description: null,
      ownerContact: null,
      allowedScopes: [],
      publicJwk: null,
      createdBy: principal.id,
      stewardUserId: null,
      createdAt: now,
      updatedAt: now,
      ...changes,
    };
    return this.write(principal, async (tx) => {
      service.stewardUserId = await this.stewards.resolve(tx, principal, input.stewardUserId);
      await this.services.insert(tx, service);
      await this.audit.record(tx, meta, {
        action: 'service.created',
        actor: actorOf(principal),
        target: { type: 'service', id: service.id },
        data: { name: service.name, allowedScopes: service.allowedScopes, hasPublicJwk: service.publicJwk !== null },
      });
      return toView(service);
    });
  }

  async list(principal: Principal): Promise<ServiceView[]> {
    requireScope(principal, 'custos:services:read');
    const rows = await this.db.tenant(principal.tenantId, (tx) => this.services.list(tx));
    return rows.map(toView);
  }

  async get(principal: Principal, id: string): Promise<ServiceView> {
    requireScope(principal, 'custos:services:read');
    const row = await this.db.tenant(principal.tenantId, (tx) => this.services.findById(tx, id));
    if (!row) throw DomainError.notFound('The service');
    return toView(row);
  }

  async update(principal: Principal, id: string, input: ServiceInput, meta: RequestMeta): Promise<ServiceView> {
    requireScope(principal, 'custos:services:write');
    const changes = await this.validate(input);
    return this.write(principal, async (tx) => {
      const service = await this.services.lockById(tx, id);
      if (!service) throw DomainError.notFound('The service');
      if (input.stewardUserId !== undefined) changes.stewardUserId = await this.stewards.named(tx, principal, input.stewardUserId);
      const before = { name: service.name, allowedScopes: service.allowedScopes };
      Object.assign(service, changes, { updatedAt: new Date() });
      await this.services.update(tx, id, { ...changes, updatedAt: service.updatedAt });
      await this.audit.record(tx, meta, {
        action: 'service.updated',
        actor: actorOf(principal),
        target: { type: 'service', id },
        data: { changed: Object.keys(changes), before, after: { name: service.name, allowedScopes: service.allowedScopes } },
      });
      return toView(service);
    });
  }

  private async write<T>(principal: Principal, work: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.db.tenant(principal.tenantId, work);
    } catch (error) {
      if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) {
        throw new DomainError(ErrorCode.CONFLICT, 'A service with this name already exists.', [
          { field: 'name', message: 'is already used by another service' },
        ]);
      }
      throw error;
    }
  }

  private async validate(input: ServiceInput): Promise<ServiceChanges> {
    const changes: ServiceChanges = {};
    const errors = input.allowedScopes ? scopeFieldErrors(input.allowedScopes, 'allowedScopes') : [];
    if (input.name !== undefined) changes.name = input.name.trim();
    if (input.description !== undefined) changes.description = input.description;
    if (input.ownerContact !== undefined) changes.ownerContact = input.ownerContact;
    if (input.allowedScopes !== undefined) changes.allowedScopes = normalizeScopes(input.allowedScopes);
    if (input.publicJwk === null) changes.publicJwk = null;
    else if (input.publicJwk !== undefined) {
      const result = await normalizePublicJwk(input.publicJwk);
      if ('error' in result) errors.push({ field: 'publicJwk', message: result.error });
      else changes.publicJwk = result.jwk;
    }
    if (errors.length > 0) throw DomainError.validation(errors);
    return changes;
  }
}
