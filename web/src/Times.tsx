import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { longDay, time, zoneName } from './format';
import { ErrorSummary, Page } from './forms';
import type { Clinic, OfferedDay, Person, Slot } from './types';

export interface Chosen { clinic: Clinic; day: string; slot: Slot }

/** The free times of one clinic-day, as radio buttons (keyboard: arrows move, space chooses). */
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

async function daySlots(clinicId: number, day: string, product: string): Promise<Slot[]> {
  const r = await api<{ items: Slot[] }>('GET', `/api/v1/clinics/${clinicId}/days/${day}/slots?product=${encodeURIComponent(product)}`);
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
  const next = day.nextDose;
  const clinic2: Clinic = next && !next.sameClinic ? { ...clinic, id: next.clinicId, name: next.clinicName, distanceKm: next.distanceKm } : clinic;

  useEffect(() => {
    void daySlots(clinic.id, day.day, day.product.code).then(setSlots1);
    if (next) void daySlots(next.clinicId, next.day, next.product).then((s) => { setSlots2(s); setPick2(s[0] ?? null); });
  }, [clinic.id, day.day, day.product.code, next]);

  const hold = async () => {
    if (!pick1 || (next && !pick2)) return setErrors([{ id: `dose1-${slots1[0]?.slotId ?? ''}`, message: t('dose1.title') }]);
    const slots = [{ dose: 1, slotId: pick1.slotId }, ...(next && pick2 ? [{ dose: 2, slotId: pick2.slotId }] : [])];
    const r = await api<{ holdId: string; expiresAt: string }>('POST', '/api/v1/holds', { slots, seats: 1 + person.dependents.length, dateOfBirth: person.dateOfBirth });
    if (!r.ok) {
      // Taken while choosing: show the times still free and let the person pick again.
      setErrors([{ id: `dose1-${slots1[0]?.slotId ?? ''}`, message: r.error.message }]);
      void daySlots(clinic.id, day.day, day.product.code).then(setSlots1);
      if (next) void daySlots(next.clinicId, next.day, next.product).then(setSlots2);
      return;
    }
    onHeld(r.body, { clinic, day: day.day, slot: pick1 }, next && pick2 ? { clinic: clinic2, day: next.day, slot: pick2 } : null);
  };

  const weeks = next ? Math.round((Date.parse(next.day) - Date.parse(day.day)) / (7 * 86_400_000)) : 0;
  return (
    <Page title={t('dose1.title')} back={back}>
      <ErrorSummary errors={errors} />
      <p className="govuk-body">{t('dose1.at', { clinic: clinic.name, day: longDay(day.day) })}</p>
      <p className="govuk-hint">{t('dose1.tz', { tz: zoneName(clinic.timeZone) })}</p>
      <fieldset className="govuk-fieldset">
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">{longDay(day.day)}</legend>
        <TimeChoice name="dose1" slots={slots1} value={pick1?.slotId ?? null} onChange={setPick1} timeZone={clinic.timeZone} />
      </fieldset>
      {next && (
        <>
          <h2 className="govuk-heading-m govuk-!-margin-top-6">{t('dose2.title')}</h2>
          <p className="govuk-body">{t('dose2.suggested', { day: longDay(next.day), clinic: next.clinicName, weeks })}</p>
          <p className="govuk-hint">{next.window.latest ? t('dose2.window', { from: longDay(next.window.earliest), to: longDay(next.window.latest) }) : t('dose2.windowOpen', { from: longDay(next.window.earliest) })}</p>
          <fieldset className="govuk-fieldset">
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{longDay(next.day)}</legend>
            <TimeChoice name="dose2" slots={slots2} value={pick2?.slotId ?? null} onChange={setPick2} timeZone={clinic2.timeZone} />
          </fieldset>
        </>
      )}
      <button type="button" className="govuk-button govuk-!-margin-top-6" onClick={() => void hold()}>{t('continue')}</button>
    </Page>
  );
}
