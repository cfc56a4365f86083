import type { FastifyInstance, RouteOptions } from 'fastify';

/** A route's path as a regular expression over request paths: `:name` is one segment, a trailing `*` anything. */
function pathPattern(url: string): RegExp {
  const source = url.split(/(:\w+|\*)/).map((part) => {
    if (part === '*') return '.*';
    if (/^:\w+$/.test(part)) return '[^/]+';
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('');
  return new RegExp(`^${source}$`);
}

/**
 * Remembers the methods of every route as it is added (register before the routes), so that a request Fastify routed
 * nowhere can be told apart: a path that exists under other methods (405 with Allow) from one that does not (404).
 * Fastify's router cannot be asked by request path, only by route pattern, hence the patterns kept here.
 */
export function routeMethods(app: FastifyInstance): (path: string) => string[] {
  const routes = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  app.addHook('onRoute', (route: RouteOptions) => {
    let known = routes.get(route.url);
    if (!known) routes.set(route.url, known = { pattern: pathPattern(route.url), methods: new Set() });
    for (const m of [route.method].flat()) known.methods.add(m);
    // Fastify answers HEAD wherever it answers GET (exposeHeadRoutes).
    if (known.methods.has('GET')) known.methods.add('HEAD');
  });
  return (path) => {
    const methods = new Set<string>();
    for (const { pattern, methods: ms } of routes.values()) if (pattern.test(path)) for (const m of ms) methods.add(m);
    return [...methods].sort();
  };
}
