import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { DayList } from './DayList';
import { km, longDay, shortDay, time } from './format';
import type { Clinic, OfferedDay, SearchAnswer, Slot } from './types';

export interface Picked { clinic: Clinic; day: string; slot: Slot }

const NOBODY: string[] = [];

/**
 * Another day for a dose, inside its window: the same search as the portal's
 * (so the same rules), around the clinic of the dose being moved.
 */
export function DosePicker({ near, dateOfBirth, alsoFor = NOBODY, dose, previous, next, window, regionCode, groups, onPick }: {
  near: { latitude: number; longitude: number }; dateOfBirth: string; dose: number;
  /** Dates of birth of others booked at the same times: only days and times with a vaccine and room for all. */
  alsoFor?: string[];
  /** The dose before (moving a later dose) or the dose after, which stays booked (moving an earlier one). */
  previous?: { day: string; product: string }; next?: { day: string; product: string };
  window: { earliest: string; latest: string | null }; regionCode?: string; groups?: string[]; onPick: (p: Picked) => void;
}) {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState<SearchAnswer | null>(null);
  const [chosen, setChosen] = useState<{ clinic: Clinic; day: OfferedDay } | null>(null);
  const [slots, setSlots] = useState<Slot[]>([]);

  useEffect(() => {
    const today = new Date().toISOString().slice(0, 10);
    const from = window.earliest > today ? window.earliest : today;
    const limit = new Date(Date.parse(from) + 91 * 86_400_000).toISOString().slice(0, 10);
    const to = window.latest && window.latest < limit ? window.latest : limit;
    void api<SearchAnswer>('POST', '/api/v1/availability/search', {
      ...near, radiusKm: 25, dateOfBirth, dose, from, to, limit: 5, ...(alsoFor.length ? { alsoFor } : {}),
      ...(previous ? { previousDoseDate: previous.day, previousProduct: previous.product } : {}),
      ...(next ? { nextDoseDate: next.day, nextProduct: next.product } : {}),
      ...(regionCode ? { regionCode } : {}), ...(groups ? { groups } : {}),
    }).then((r) => r.ok && setAnswer(r.body));
  }, [near, dateOfBirth, alsoFor, dose, previous, next, window, regionCode, groups]);
  useEffect(() => {
    if (!chosen) return;
    void api<{ items: Slot[] }>('GET', `/api/v1/clinics/${chosen.clinic.id}/days/${chosen.day.day}/slots?product=${encodeURIComponent(chosen.day.product.code)}&seats=${1 + alsoFor.length}`)
      .then((r) => r.ok && setSlots(r.body.items));
  }, [chosen, alsoFor]);

  if (!answer) return null;
  if (!answer.items.length) return <p className="govuk-body">{answer.explanation?.message ?? t('search.none')}</p>;
  return (
    <div className="vb-picker">
      {!chosen && answer.items.map(({ clinic, days }) => (
        <div key={clinic.id} className="govuk-!-margin-bottom-4">
          <h3 className="govuk-heading-s">{clinic.name} <span className="govuk-caption-m">{t('search.km', { km: km(clinic.distanceKm) })}</span></h3>
          <DayList days={days} shown={21} keyOf={(d) => `${d.day}-${d.product.code}`} moreLabel={(count) => t('search.moreDays', { count })} render={(d) => (
            <button type="button" className="govuk-button govuk-button--secondary" onClick={() => setChosen({ clinic, day: d })}>
              {shortDay(d.day)}<span className="govuk-visually-hidden"> – {longDay(d.day)}, {clinic.name}</span>
            </button>
          )} />
        </div>
      ))}
      {chosen && (
        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{longDay(chosen.day.day)} – {chosen.clinic.name}</legend>
          <div className="govuk-radios govuk-radios--small vb-times">
            {slots.map((s) => (
              <div className="govuk-radios__item" key={s.slotId}>
                <input className="govuk-radios__input" id={`pick-${s.slotId}`} name="pick" type="radio" onChange={() => onPick({ clinic: chosen.clinic, day: chosen.day.day, slot: s })} />
                <label className="govuk-label govuk-radios__label" htmlFor={`pick-${s.slotId}`}>{time(s.startsAt, chosen.clinic.timeZone)}</label>
              </div>
            ))}
          </div>
          <button type="button" className="govuk-link vb-link" onClick={() => { setChosen(null); setSlots([]); }}>{t('dose2.otherDay')}</button>
        </fieldset>
      )}
    </div>
  );
}
