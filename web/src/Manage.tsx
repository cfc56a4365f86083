import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, newKey } from './api';
import { dayIn, longDay, time } from './format';
import { DateField, ErrorSummary, isoDate, Page, TextField } from './forms';
import type { Booking } from './types';

/** Step 6: find a booking by code and date of birth; cancel one dose or all. */
export function Manage({ back }: { back: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [dob, setDob] = useState({ d: '', m: '', y: '' });
  const [booking, setBooking] = useState<Booking | null>(null);
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);

  const find = async (e?: React.FormEvent) => {
    e?.preventDefault();
    const day = isoDate(dob);
    if (!day) return setErrors([{ id: 'dob', message: t('elig.dobMissing') }]);
    const r = await api<Booking>('POST', '/api/v1/bookings/lookup', { confirmationCode: code.trim(), dateOfBirth: day });
    if (!r.ok) return setErrors([{ id: 'code', message: r.status === 404 ? t('manage.notFound') : r.error.message }]);
    setErrors([]);
    setBooking(r.body);
  };
  const cancel = async (doses?: number[]) => {
    await api('POST', '/api/v1/bookings/cancel', { confirmationCode: code.trim(), dateOfBirth: isoDate(dob), ...(doses ? { doses } : {}) }, { 'idempotency-key': newKey() });
    await find();
  };

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
          <p className="govuk-body"><span className="vb-code">{booking.confirmationCode}</span></p>
          <dl className="govuk-summary-list">
            {booking.appointments.map((a) => (
              <div className="govuk-summary-list__row" key={`${a.personGivenName}-${a.dose}`}>
                <dt className="govuk-summary-list__key">{a.personGivenName} – {t('confirm.dose', { dose: a.dose })}</dt>
                <dd className="govuk-summary-list__value">{longDay(dayIn(a.startsAt, a.clinic.timeZone))}, {time(a.startsAt, a.clinic.timeZone)} – {a.clinic.name}
                  <br /><strong className="govuk-tag">{t(`manage.status.${a.status}`)}</strong></dd>
                <dd className="govuk-summary-list__actions">
                  {a.status === 'booked' && <button type="button" className="govuk-button govuk-button--warning govuk-!-margin-bottom-0" onClick={() => void cancel([a.dose])}>{t('manage.cancel', { dose: a.dose })}</button>}
                </dd>
              </div>
            ))}
          </dl>
          {booking.appointments.some((a) => a.status === 'booked') && <button type="button" className="govuk-button govuk-button--warning" onClick={() => void cancel()}>{t('manage.cancelAll')}</button>}
        </>
      )}
    </Page>
  );
}
