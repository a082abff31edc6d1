import type { ActorRecord, ActorRepository, Tx } from '@custos/persistence';
import type { Principal } from '../auth/principal';

/**
 * Who an actor id in a view names (a token's creator and revoker, an audit event's actor, a consent
 * version's author, a report's requester), beside the id itself, which the view keeps.
 */
export interface ActorView {
  id: string;
  kind: 'user' | 'service_key';
  /** A person's e-mail: the one their account had, if it has been removed since. Null for a service key. */
  email: string | null;
  /** A service key's service name, or the key's own name when it belongs to no service. Null for a person. */
  name: string | null;
  /** When the person's account was removed; null while it exists, and for service keys. */
  removedAt: string | null;
}

export type ActorReads = Pick<ActorRepository, 'resolve'>;

function viewOf(record: ActorRecord): ActorView {
  return { ...record, removedAt: record.removedAt?.toISOString() ?? null };
}

/** The caller as an actor: what their session or service key told about them, no query needed. */
export function principalActor(principal: Principal): ActorView {
  return { id: principal.id, kind: principal.kind, email: principal.email, name: principal.name, removedAt: null };
}

/** The actors a page of views names, resolved together. */
export class Actors {
  private constructor(private readonly byId: ReadonlyMap<string, ActorView>) {}

  /**
   * Who `ids` name, in one query for the whole page (none when every id is null or the caller's: the
   * caller's own actor comes from `caller`, as it is on a change they just made).
   */
  static async load(reads: ActorReads, tx: Tx, ids: Iterable<string | null>, caller?: Principal): Promise<Actors> {
    const byId = new Map<string, ActorView>();
    if (caller) byId.set(caller.id, principalActor(caller));
    const wanted = [...new Set(ids)].filter((id): id is string => id !== null && !byId.has(id));
    if (wanted.length > 0) for (const record of await reads.resolve(tx, wanted)) byId.set(record.id, viewOf(record));
    return new Actors(byId);
  }

  /** Null for no id, and for an id the tenant knows no one by. */
  of(id: string | null): ActorView | null {
    return id === null ? null : (this.byId.get(id) ?? null);
  }
}
