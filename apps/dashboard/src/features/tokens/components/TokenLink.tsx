import { Anchor } from '@mantine/core';
import { Link } from 'react-router';
import { useToken } from '../api/tokens.queries';

/**
 * A token by name, linking to its page; its id shows until the name is read (and stays, with the id in
 * the title either way, when the token cannot be read). Rows naming the same token share one request.
 */
export function TokenLink({ id }: { id: string }) {
  const token = useToken(id);
  return (
    <Anchor component={Link} to={`/tokens/${encodeURIComponent(id)}`} size="sm" title={`token ${id}`} ff={token.data ? undefined : 'monospace'}>
      {token.data?.name ?? id}
    </Anchor>
  );
}
