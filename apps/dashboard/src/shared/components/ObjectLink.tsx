import { Anchor, Code } from '@mantine/core';
import { Link } from 'react-router';

/** The dashboard page of each kind of object that has one. */
const PAGES: Record<string, (id: string) => string> = {
  token: (id) => `/tokens/${encodeURIComponent(id)}`,
  service: (id) => `/services/${encodeURIComponent(id)}`,
  consent: (id) => `/consents?consent=${encodeURIComponent(id)}`,
  subject: (ref) => `/subjects/${encodeURIComponent(ref)}`,
};

/** Public ids carry their kind as a prefix (`tok_…`, `svc_…`, `cns_…`). */
const PREFIXES: Array<[string, string]> = [
  ['tok_', 'token'],
  ['svc_', 'service'],
  ['cns_', 'consent'],
];

/** Where an object's page is: by its type when known (audit targets), else by its id's prefix. */
export function objectPath(id: string, type?: string | null): string | null {
  const kind = type ?? PREFIXES.find(([prefix]) => id.startsWith(prefix))?.[1];
  const page = kind === undefined ? undefined : PAGES[kind];
  return page ? page(id) : null;
}

interface ObjectLinkProps {
  id: string;
  /** The object's type (an audit event's target type); without it the id's prefix tells. */
  type?: string | null;
  /** Called when the link is followed, e.g. to close the drawer it sits in. */
  onNavigate?: () => void;
}

/** An object's id, linking to its page when the dashboard has one, in code type either way. */
export function ObjectLink({ id, type, onNavigate }: ObjectLinkProps) {
  const path = objectPath(id, type);
  if (!path) return <Code>{id}</Code>;
  return (
    <Anchor component={Link} to={path} size="sm" ff="monospace" onClick={onNavigate}>
      {id}
    </Anchor>
  );
}
