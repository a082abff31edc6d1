import { readdirSync } from 'node:fs';
import { posix, sep } from 'node:path';

/**
 * The routes @fastify/static registers for a directory served with `wildcard: false`: one per file,
 * and the directory itself for an index file. The metrics label them all `static`.
 */
export function staticRouteUrls(root: string, indexFile = 'index.html'): Set<string> {
  const urls = new Set<string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const dir = posix.join('/', entry.parentPath.slice(root.length).split(sep).join('/'));
    urls.add(posix.join(dir, entry.name));
    if (entry.name === indexFile) urls.add(dir.endsWith('/') ? dir : `${dir}/`);
  }
  return urls;
}
