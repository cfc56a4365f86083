import { useEffect, useMemo, useState } from 'react';
import { DosePicker, type Picked } from './DosePicker';
import { useTranslation } from 'react-i18next';
import { api, newKey } from './api';
import { longDay, time, zoneName } from './format';
import { ErrorSummary, Page } from './forms';
import type { Clinic, OfferedDay, Person, Slot } from './types';

export interface Chosen { clinic: Clinic; day: string; slot: Slot }

/** The free times of one clinic-day, as radio buttons (keyboard: arrows move, space chooses). */
/** A free time the API offers instead of one just taken. */
interface Alternative { slotId: number; startsAt: string; day: string; clinicId: number; clinicName: string }

function TimeChoice({ name, slots, value, onChange, timeZone }: { name: string; slots: Slot[]; value: number | null; onChange: (s: Slot) => void; timeZone: string }) {
  return (
    <div className="govuk-radios govuk-radios--small vb-times">
      {slots.map((s) => (
        <div className="govuk-radios__item" key={s.slotId}>
          <input className="govuk-radios__input" id={`${name}-${s.slotId}`} name={name} type="radio" checked={value === s.slotId} onChange={() => onChange(s)} />
          <label className="govuk-label govuk-radios__label" htmlFor={`${name}-${s.slotId}`}>{time(s.startsAt, timeZone)}</label>
        </div>
      ))}
    </div>
  );
}

const NONE: string[] = [];

/** The times of a day with room for everyone booked together, in sessions that admit them. */
async function daySlots(clinicId: number, day: string, product: string, seats: number, cohorts: string[]): Promise<Slot[]> {
  const r = await api<{ items: Slot[] }>('GET', `/api/v1/clinics/${clinicId}/days/${day}/slots?product=${encodeURIComponent(product)}&seats=${seats}`
    + (cohorts.length ? `&cohorts=${encodeURIComponent(cohorts.join(','))}` : ''));
  return r.ok ? r.body.items : [];
}

/** Step 3: a time for dose 1, then dose 2 at the suggested day (same clinic when possible); both are held together. */
export function TimesStep({ person, clinic, day, back, onHeld }: {
  person: Person; clinic: Clinic; day: OfferedDay; back: () => void;
  onHeld: (hold: { holdId: string; expiresAt: string }, dose1: Chosen, dose2: Chosen | null) => void;
}) {
  const { t } = useTranslation();
  const [slots1, setSlots1] = useState<Slot[]>([]);
  const [slots2, setSlots2] = useState<Slot[]>([]);
  const [pick1, setPick1] = useState<Slot | null>(null);
  const [pick2, setPick2] = useState<Slot | null>(null);
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  const [alternatives, setAlternatives] = useState<{ dose: 1 | 2; times: Alternative[] }>({ dose: 1, times: [] });
  const [otherDay, setOtherDay] = useState<Picked | null>(null);
  const [picking, setPicking] = useState(false);
  const next = day.nextDose;
  const suggested: Clinic = next && !next.sameClinic ? { ...clinic, id: next.clinicId, name: next.clinicName, distanceKm: next.distanceKm } : clinic;
  const clinic2 = otherDay?.clinic ?? suggested;
  const day2 = otherDay?.day ?? next?.day;
  const near = useMemo(() => ({ latitude: clinic.latitude, longitude: clinic.longitude }), [clinic]);
  const previous = useMemo(() => ({ day: day.day, product: day.product.code }), [day]);
  const seats = 1 + person.dependents.length;
  const cohorts = person.cohorts ?? NONE;

  useEffect(() => {
    void daySlots(clinic.id, day.day, day.product.code, seats, cohorts).then(setSlots1);
    if (next) void daySlots(next.clinicId, next.day, next.product, seats, cohorts).then((s) => { setSlots2(s); setPick2(s[0] ?? null); });
  }, [clinic.id, day.day, day.product.code, next, seats, cohorts]);

  const hold = async () => {
    if (!pick1 || (next && !pick2)) return setErrors([{ id: pick1 ? 'dose2-choice' : 'dose1-choice', message: t(pick1 ? 'dose2.missing' : 'dose1.missing') }]);
    const slots = [{ dose: 1, slotId: pick1.slotId }, ...(next && pick2 ? [{ dose: 2, slotId: pick2.slotId }] : [])];
    // The key makes the retries of a busy service (api) take one hold, not one per attempt.
    const r = await api<{ holdId: string; expiresAt: string }>('POST', '/api/v1/holds', { slots, seats, dateOfBirth: person.dateOfBirth }, { 'idempotency-key': newKey() });
    if (!r.ok) {
      // Taken while choosing: say so, offer the nearest free times the API found, and refresh the lists.
      const detail = r.error.detail as { slotId?: number; alternatives?: Alternative[] } | undefined;
      const dose = detail?.slotId === pick2?.slotId ? 2 : 1;
      setErrors([{ id: dose === 2 ? 'dose2-choice' : 'dose1-choice', message: r.error.message }]);
      setAlternatives({ dose, times: detail?.alternatives ?? [] });
      if (detail?.slotId === pick1.slotId) setPick1(null);
      void daySlots(clinic.id, day.day, day.product.code, seats, cohorts).then(setSlots1);
      if (next && !otherDay) void daySlots(next.clinicId, next.day, next.product, seats, cohorts).then(setSlots2);
      return;
    }
    onHeld(r.body, { clinic, day: day.day, slot: pick1 }, next && pick2 ? { clinic: clinic2, day: day2!, slot: pick2 } : null);
  };

  // The times offered instead that this page lists: the same clinic and day as the dose that was taken (the API may
  // also offer other days and clinics nearby, which are chosen from search).
  const here = alternatives.times.filter((a) => alternatives.dose === 1 ? a.clinicId === clinic.id && a.day === day.day
    : !otherDay && a.clinicId === clinic2.id && a.day === day2);
  const weeks = next ? Math.round((Date.parse(next.day) - Date.parse(day.day)) / (7 * 86_400_000)) : 0;
  return (
    <Page title={t('dose1.title')} back={back}>
      <ErrorSummary errors={errors} />
      <p className="govuk-body">{t('dose1.at', { clinic: clinic.name, day: longDay(day.day) })}</p>
      <p className="govuk-hint">{t('dose1.tz', { tz: zoneName(clinic.timeZone) })}</p>
      {here.length > 0 && (
        <div className="govuk-inset-text">
          <h2 className="govuk-heading-s">{t('taken.title')}</h2>
          <p className="govuk-body">{t('taken.alternatives')}</p>
          <ul className="govuk-list">
            {here.map((a) => (
              <li key={a.slotId}><button type="button" className="govuk-link vb-link" onClick={() => {
                const s = (alternatives.dose === 1 ? slots1 : slots2).find((x) => x.slotId === a.slotId);
                if (s) (alternatives.dose === 1 ? setPick1 : setPick2)(s);
                setAlternatives({ dose: 1, times: [] });
              }}>{time(a.startsAt, (alternatives.dose === 1 ? clinic : clinic2).timeZone)}</button></li>
            ))}
          </ul>
        </div>
      )}
      <fieldset className="govuk-fieldset" id="dose1-choice" tabIndex={-1}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">{longDay(day.day)}</legend>
        <TimeChoice name="dose1" slots={slots1} value={pick1?.slotId ?? null} onChange={setPick1} timeZone={clinic.timeZone} />
      </fieldset>
      {next && (
        <>
          <h2 className="govuk-heading-m govuk-!-margin-top-6">{t('dose2.title')}</h2>
          <p className="govuk-body">{t('dose2.suggested', { day: longDay(next.day), clinic: next.clinicName, weeks })}</p>
          <p className="govuk-hint">{next.window.latest ? t('dose2.window', { from: longDay(next.window.earliest), to: longDay(next.window.latest) }) : t('dose2.windowOpen', { from: longDay(next.window.earliest) })}</p>
          {!picking && (
            <fieldset className="govuk-fieldset" id="dose2-choice" tabIndex={-1}>
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{longDay(day2!)}{otherDay ? ` – ${otherDay.clinic.name}` : ''}</legend>
              <TimeChoice name="dose2" slots={otherDay ? [otherDay.slot] : slots2} value={pick2?.slotId ?? null} onChange={setPick2} timeZone={clinic2.timeZone} />
              <button type="button" className="govuk-button govuk-button--secondary govuk-!-margin-top-3" onClick={() => setPicking(true)}>{t('dose2.otherDay')}</button>
            </fieldset>
          )}
          {picking && <DosePicker near={near} dateOfBirth={person.dateOfBirth} alsoFor={person.dependents} dose={2} previous={previous} window={next.window}
            regionCode={person.regionCode} groups={person.groups}
            onPick={(p) => { setOtherDay(p); setPick2(p.slot); setPicking(false); }} />}
        </>
      )}
      <button type="button" id="continue" className="govuk-button govuk-!-margin-top-6" onClick={() => void hold()}>{t('continue')}</button>
    </Page>
  );
}
