import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Clinic } from './types';

/**
 * The clinics listed, on a map beside the list. Leaflet loads only when a
 * map is shown (the entry bundle stays small); tiles come from configuration,
 * and when they cannot load the list still has everything (the map adds
 * nothing the list does not say).
 */
export function ClinicMap({ clinics, tiles, attribution }: { clinics: Clinic[]; tiles: string; attribution: string }) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let map: { remove: () => void } | undefined;
    let cancelled = false;
    void Promise.all([import('leaflet'), import('leaflet/dist/leaflet.css')]).then(([L]) => {
      if (cancelled || !el.current || clinics.length === 0) return;
      const m = L.map(el.current, { scrollWheelZoom: false, keyboard: false });
      L.tileLayer(tiles, { attribution, maxZoom: 18 }).addTo(m);
      const points = clinics.map((c) => {
        const marker = L.circleMarker([c.latitude, c.longitude], { radius: 8, color: '#0b0c0c', weight: 2, fillColor: '#1d70b8', fillOpacity: 0.9 })
          .bindTooltip(c.name).addTo(m);
        marker.on('click', () => document.getElementById(`clinic-${c.id}`)?.focus());
        return L.latLng(c.latitude, c.longitude);
      });
      m.fitBounds(L.latLngBounds(points), { padding: [20, 20], maxZoom: 13 });
      map = m;
    });
    return () => { cancelled = true; map?.remove(); };
  }, [clinics, tiles, attribution]);
  // The map repeats the list for sighted mouse users; screen readers and keyboards use the list itself.
  return <div ref={el} className="vb-map" role="region" aria-label={t('search.mapLabel')} />;
}
