import { createContext, useContext } from 'react';

/** Branding and map settings from the server (GET /api/v1/portal). */
export interface PortalSettings { name: string; brandColour: string; logoUrl: string | null; mapTiles: string | null; mapAttribution: string }
export const defaultPortal: PortalSettings = { name: '', brandColour: '#1a5a96', logoUrl: null, mapTiles: null, mapAttribution: '' };
export const PortalContext = createContext<PortalSettings>(defaultPortal);
export const usePortal = () => useContext(PortalContext);
