import type { Schemas } from '@custos/api-client';

/** Who an actor id names, as the API resolves it beside the id (createdByActor, revokedByActor, actor, …). */
export type Actor = Schemas['ActorResponse'];

/**
 * How a person or service key reads: a person's e-mail, a service key's service name, the bare id when
 * the API knows nothing more; a removed person says so (their e-mail may belong to a new account now).
 */
export function actorLabel(id: string, actor: Actor | null): string {
  const name = actor?.email ?? actor?.name ?? id;
  return actor?.removedAt ? `${name} (removed)` : name;
}

/** The id and what it is, for a title or a detail row: "service key tok_…", "user usr_…". */
export function actorTitle(id: string, actor: Actor | null): string {
  if (!actor) return id;
  return `${actor.kind === 'service_key' ? 'service key' : 'user'} ${id}`;
}
