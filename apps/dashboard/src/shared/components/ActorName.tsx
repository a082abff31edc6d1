import { Text } from '@mantine/core';
import { actorLabel, actorTitle, type Actor } from '../format/actor';

/**
 * An actor id (a token's creator, an event's actor, …) shown as who it names, the id in its title: people
 * read e-mails, and the id is one hover away for a search or a filter.
 */
export function ActorName({ id, actor, none = '—' }: { id: string | null; actor: Actor | null; none?: string }) {
  if (id === null) return <>{none}</>;
  return (
    <Text span inherit title={actorTitle(id, actor)} data-actor-id={id}>
      {actorLabel(id, actor)}
    </Text>
  );
}
