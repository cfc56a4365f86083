import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import { jurisdictionSettings } from '../../../services/reference-service.js';
import { errorResponses, Nullable } from '../../schemas.js';

/** The jurisdiction's branding and map for the portal: configuration, not code (VAXBOOK_BRAND_*, VAXBOOK_MAP_*). */
export interface PortalSettings { brandColour: string; logoUrl: string | null; mapTiles: string | null; mapAttribution: string }
export const DEFAULT_PORTAL_SETTINGS: PortalSettings = {
  brandColour: '#1a5a96', logoUrl: null, mapTiles: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', mapAttribution: '© OpenStreetMap contributors',
};

export const portalSettingsRoutes: FastifyPluginAsync<{ pool: pg.Pool; settings: PortalSettings }> = async (app, { pool, settings }) => {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/api/v1/portal', {
    schema: {
      operationId: 'getPortalSettings', tags: ['reference'], summary: "The portal's branding (name, colour, logo, languages) and map tiles",
      response: {
        200: Type.Object({
          name: Type.String(), languages: Type.Array(Type.String()), brandColour: Type.String(), logoUrl: Nullable(Type.String()),
          mapTiles: Nullable(Type.String({ description: 'tile URL template; null: no map' })), mapAttribution: Type.String(),
        }),
        ...errorResponses,
      },
    },
  }, async () => {
    const j = await jurisdictionSettings(pool);
    return { name: j.name, languages: ['en', 'fr'], ...settings };
  });
};
