import { useEffect, useRef, useState } from 'react';
import { DosePicker } from './DosePicker';
import { dosesFrom } from './doses';
import { useTranslation } from 'react-i18next';
import { api, newKey } from './api';
import { dayIn, longDay, time } from './format';
import { DateField, ErrorSummary, isoDate, Page, TextField } from './forms';
import type { Appointment, Booking } from './types';

interface ProductInfo { code: string; name: string }
interface Change {
  /** Whose dose moves (their index in the booking) and their name when several people are booked. */
  dose: number; person: number; name: string | null; near: { latitude: number; longitude: number }; window: { earliest: string; latest: string | null };
  previous?: { day: string; product: string }; next?: { day: string; product: string };
}


/**
 * One line per person and dose: a moved appointment leaves a cancelled row
 * behind it, which would read as a second, cancelled dose.
 */
function current(appointments: Appointment[]): Appointment[] {
  const key = (a: Appointment) => `${a.person}|${a.dose}`;
  const live = new Set(appointments.filter((a) => a.status !== 'cancelled').map(key));
  const lastCancelled = new Map(appointments.filter((a) => a.status === 'cancelled').map((a) => [key(a), a]));
  return appointments.filter((a) => (live.has(key(a)) ? a.status !== 'cancelled' : lastCancelled.get(key(a)) === a));
}

/** A cancellation waiting for its "Yes": the button's words, and whose doses (all of everyone's without them). */
type Question = { what: string; doses?: number[]; person?: number };

/** Step 6: find a booking by code and date of birth; move or cancel one dose, or cancel all. */
export function Manage({ back }: { back: () => void }) {
  const { t } = useTranslation();
  // The link in every message carries the code (…/manage?code=…): the person only adds their date of birth.
  const [code, setCode] = useState(() => new URLSearchParams(location.search).get('code') ?? '');
  const [dob, setDob] = useState({ d: '', m: '', y: '' });
  const [booking, setBooking] = useState<Booking | null>(null);
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  const [change, setChange] = useState<Change | null>(null);

  /**
   * Move a dose with the same search as booking: a later dose inside the window after the dose before; an earlier dose
   * only to days that keep the dose after it (which stays booked) inside its interval. The search applies the rules.
   */
  const startChange = async (a: Appointment) => {
    const live = (dose: number) => booking!.appointments.find((x) => x.dose === dose && x.person === a.person && x.status === 'booked');
    const [before, after] = [live(a.dose - 1), live(a.dose + 1)];
    const [clinic, products] = await Promise.all([
      api<{ latitude: number; longitude: number }>('GET', `/api/v1/clinics/${a.clinic.id}`), api<{ items: ProductInfo[] }>('GET', '/api/v1/products')]);
    if (!clinic.ok || !products.ok) return;
    const ref = (x: Appointment | undefined) => {
      const product = x && products.body.items.find((p) => p.name === x.product);
      return x && product ? { day: dayIn(x.startsAt, x.clinic.timeZone), product: product.code } : undefined;
    };
    const [previous, next] = [ref(before), ref(after)];
    if (a.dose > 1 && !previous) return;
    setChange({ dose: a.dose, person: a.person, name: several ? nameOf(a) : null, near: { latitude: clinic.body.latitude, longitude: clinic.body.longitude }, previous, next,
      window: { earliest: previous?.day ?? dayIn(new Date().toISOString(), a.clinic.timeZone), latest: null } });
  };
  // One person's dose moves (a guardian's other children keep their times), to a time with room for one.
  const reschedule = async (dose: number, slotId: number, person: number) => {
    const r = await api<Booking>('POST', '/api/v1/bookings/reschedule', { confirmationCode: code.trim(), dateOfBirth: isoDate(dob), dose, slotId, person }, { 'idempotency-key': newKey() });
    setChange(null);
    if (!r.ok) { setUpdates(0); return setErrors([{ id: 'code', message: r.error.message }]); }
    setErrors([]);
    setBooking(r.body);
    setUpdates((n) => n + 1);
  };

  const find = async (e?: React.FormEvent) => {
    e?.preventDefault();
    const day = isoDate(dob);
    if (!day) return setErrors([{ id: 'dob', message: t('elig.dobMissing') }]);
    const r = await api<Booking>('POST', '/api/v1/bookings/lookup', { confirmationCode: code.trim(), dateOfBirth: day });
    if (!r.ok) return setErrors([{ id: 'code', message: r.status === 404 ? t('manage.notFound') : r.error.message }]);
    setErrors([]);
    if (r.body.confirmationCode !== booking?.confirmationCode) setUpdates(0); // another booking: nothing changed in it yet
    setBooking(r.body);
  };
  // A line's cancel is that person's (a guardian's other children keep theirs); "cancel everything" is everyone's.
  // A cancelled place goes to someone else at once, so the button only asks; the question's "Yes" cancels.
  // Keyboard and screen-reader users: the question takes the focus, "No" (or Escape) gives it back to the button that
  // asked, and a change made moves it to the banner that says so.
  const [asking, setAsking] = useState<Question | null>(null);
  const question = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => { if (asking) question.current?.focus(); }, [asking]);
  const ask = (q: Question) => { opener.current = document.activeElement as HTMLElement | null; setAsking(q); };
  const dismiss = () => { setAsking(null); requestAnimationFrame(() => opener.current?.focus()); };
  const [updates, setUpdates] = useState(0);
  const banner = useRef<HTMLDivElement>(null);
  useEffect(() => { if (updates) banner.current?.focus(); }, [updates]);
  const cancel = async (doses?: number[], person?: number) => {
    setAsking(null);
    const r = await api('POST', '/api/v1/bookings/cancel', { confirmationCode: code.trim(), dateOfBirth: isoDate(dob), ...(doses ? { doses } : {}), ...(person !== undefined ? { person } : {}) },
      { 'idempotency-key': newKey() });
    await find();
    if (!r.ok) { setUpdates(0); setErrors([{ id: 'code', message: r.error.message }]); } else setUpdates((n) => n + 1);
  };

  // With several people booked, each line's cancel says whose doses go.
  const several = new Set(booking?.appointments.map((a) => a.person)).size > 1;
  const theirs = (a: Appointment) => booking!.appointments.filter((x) => x.person === a.person);
  // Two people of one name (a parent and a child) are told apart by their place in the booking.
  const namesakes = new Set((booking?.appointments ?? []).filter((a, _, all) => all.some((x) => x.personGivenName === a.personGivenName && x.person !== a.person)).map((a) => a.personGivenName));
  const nameOf = (a: Appointment) => (namesakes.has(a.personGivenName) ? `${a.personGivenName} (${a.person + 1})` : a.personGivenName);

  return (
    <Page title={t('manage.title')} back={back}>
      <ErrorSummary errors={errors} />
      {!booking && (
        <form onSubmit={find} noValidate>
          <TextField id="code" label={t('manage.code')} value={code} onChange={setCode} width={10} error={errors.find((x) => x.id === 'code')?.message} />
          <DateField id="dob" legend={t('elig.dob')} value={dob} onChange={setDob} error={errors.find((x) => x.id === 'dob')?.message} />
          <button type="submit" className="govuk-button">{t('manage.find')}</button>
        </form>
      )}
      {booking && (
        <>
          {updates > 0 && (
            <div className="govuk-notification-banner govuk-notification-banner--success" role="alert" tabIndex={-1} ref={banner}>
              <div className="govuk-notification-banner__content"><p className="govuk-notification-banner__heading">{t('manage.updated')}</p></div>
            </div>
          )}
          <p className="govuk-body"><span className="vb-code">{booking.confirmationCode}</span></p>
          <dl className="govuk-summary-list">
            {current(booking.appointments).map((a) => (
              <div className="govuk-summary-list__row" key={`${a.person}-${a.dose}-${a.slotId}`}>
                <dt className="govuk-summary-list__key">{nameOf(a)} – {t('confirm.dose', { dose: a.dose })}</dt>
                <dd className="govuk-summary-list__value">{longDay(dayIn(a.startsAt, a.clinic.timeZone))}, {time(a.startsAt, a.clinic.timeZone)} – {a.clinic.name}
                  <br /><strong className="govuk-tag">{t(`manage.status.${a.status}`)}</strong></dd>
                <dd className="govuk-summary-list__actions">
                  {a.status === 'booked' && <button type="button" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-2" onClick={() => void startChange(a)}>{t(several ? 'manage.changeFor' : 'manage.change', { dose: a.dose, name: nameOf(a) })}</button>}
                  {a.status === 'booked' && (() => {
                    const doses = dosesFrom(theirs(a), a.dose);
                    const what = t(`manage.${doses.length > 1 ? 'cancelFrom' : 'cancel'}${several ? 'For' : ''}`, { dose: a.dose, name: nameOf(a) });
                    return <button type="button" className="govuk-button govuk-button--warning govuk-!-margin-bottom-0" onClick={() => ask({ what, doses, person: a.person })}>{what}</button>;
                  })()}
                </dd>
              </div>
            ))}
          </dl>
          {asking && (
            <div className="govuk-notification-banner vb-confirm" role="alertdialog" aria-labelledby="cancel-question" tabIndex={-1} ref={question}
              onKeyDown={(e) => { if (e.key === 'Escape') dismiss(); }}>
              <div className="govuk-notification-banner__content">
                <h2 className="govuk-heading-m" id="cancel-question">{t('manage.confirmQuestion', { what: asking.what })}</h2>
                <p className="govuk-body">{t('manage.confirmText')}</p>
                <div className="govuk-button-group">
                  <button type="button" className="govuk-button govuk-button--warning" onClick={() => void cancel(asking.doses, asking.person)}>{t('manage.confirmYes')}</button>
                  <button type="button" className="govuk-button govuk-button--secondary" onClick={dismiss}>{t('manage.confirmNo')}</button>
                </div>
              </div>
            </div>
          )}
          {change && (
            <section className="govuk-!-margin-top-6">
              <h2 className="govuk-heading-m">{change.name ? t('manage.newTimeFor', { dose: change.dose, name: change.name }) : t('manage.newTime', { dose: change.dose })}</h2>
              <DosePicker near={change.near} dateOfBirth={isoDate(dob)!} dose={change.dose} previous={change.previous} next={change.next} window={change.window}
                onPick={(p) => void reschedule(change.dose, p.slot.slotId, change.person)} />
            </section>
          )}
          {booking.appointments.some((a) => a.status === 'booked') && <button type="button" className="govuk-button govuk-button--warning" onClick={() => ask({ what: t('manage.cancelAll') })}>{t('manage.cancelAll')}</button>}
        </>
      )}
    </Page>
  );
}
