/**
 * Where to go after logging in. Only a path of this app: an absolute or protocol-relative URL in
 * `?next=` would make the log-in page an open redirect.
 */
export function safeReturnPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/overview';
  if (next.startsWith('/login') || next.startsWith('/signup')) return '/overview';
  return next;
}

export function loginPathFor(location: { pathname: string; search: string }): string {
  const back = `${location.pathname}${location.search}`;
  return back === '/' ? '/login' : `/login?next=${encodeURIComponent(back)}`;
}
