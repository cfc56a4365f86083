import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { projectRoot } from '../paths.js';

export const PORTAL_DIR = path.join(projectRoot, 'web', 'dist');

/**
 * The public portal (web/, built by Vite) from the same server as the API.
 * Hashed files under /assets/ never change, so browsers keep them a year;
 * the page itself is revalidated on every visit so a new release shows at
 * once. The portal's own paths (/, /manage, /status) and the staff consoles' (/staff/…)
 * all answer with its page; the consoles load as their own chunks.
 */
export async function registerPortal(app: FastifyInstance, dir = PORTAL_DIR): Promise<boolean> {
  if (!fs.existsSync(path.join(dir, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: dir, prefix: '/', index: false, wildcard: false, serveDotFiles: false, cacheControl: false,
    setHeaders: (res, file) => res.raw.setHeader('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  for (const url of ['/', '/manage', '/status', '/staff', '/staff/*']) {
    app.get(url, { schema: { hide: true } }, (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false }));
  }
  return true;
}
