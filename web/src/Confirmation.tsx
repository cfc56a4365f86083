import { useTranslation } from 'react-i18next';
import { longDay, time, dayIn, zoneName } from './format';
import { calendar, download } from './ics';
import { Page } from './forms';
import type { Booking } from './types';

/** Step 5: the code in large type, both appointments, a calendar file, a printable page. */
export function Confirmation({ booking, restart, others, bookOthers }: { booking: Booking; restart: () => void; others: number; bookOthers: () => void }) {
  const { t } = useTranslation();
  const ics = () => download(`vaccination-${booking.confirmationCode}.ics`, calendar(booking.appointments.map((a) => ({
    uid: `${booking.confirmationCode}-${a.dose}@vaxbook`, start: new Date(a.startsAt), end: new Date(a.endsAt),
    title: `${t('confirm.dose', { dose: a.dose })} – ${a.product}`, location: `${a.clinic.name}, ${a.clinic.street}, ${a.clinic.city} ${a.clinic.postalCode}`,
    description: `${t('confirm.code')}: ${booking.confirmationCode}`,
  }))));
  return (
    <Page title={t('confirm.title')}>
      <div className="govuk-panel govuk-panel--confirmation">
        <h2 className="govuk-panel__title">{t('confirm.code')}</h2>
        <div className="govuk-panel__body"><span className="vb-code" data-testid="confirmation-code">{booking.confirmationCode}</span></div>
      </div>
      <p className="govuk-body">{t('confirm.keep')}</p>
      {booking.appointments.map((a) => (
        <div className="govuk-summary-card" key={`${a.personGivenName}-${a.dose}`}>
          <div className="govuk-summary-card__title-wrapper"><h2 className="govuk-summary-card__title">{a.personGivenName} – {t('confirm.dose', { dose: a.dose })}</h2></div>
          <div className="govuk-summary-card__content">
            <dl className="govuk-summary-list">
              <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">{longDay(dayIn(a.startsAt, a.clinic.timeZone))}</dt>
                <dd className="govuk-summary-list__value">{time(a.startsAt, a.clinic.timeZone)} ({zoneName(a.clinic.timeZone, new Date(a.startsAt))})</dd></div>
              <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">{t('confirm.where')}</dt>
                <dd className="govuk-summary-list__value">{a.clinic.name}<br />{a.clinic.street}, {a.clinic.city} {a.clinic.postalCode}<br />
                  <a className="govuk-link vb-noprint" href={`https://www.openstreetmap.org/search?query=${encodeURIComponent(`${a.clinic.street}, ${a.clinic.city}`)}`} target="_blank" rel="noreferrer">{t('confirm.map')}</a></dd></div>
              <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">{t('confirm.product')}</dt><dd className="govuk-summary-list__value">{a.product}</dd></div>
            </dl>
          </div>
        </div>
      ))}
      <h2 className="govuk-heading-m">{t('confirm.bring')}</h2>
      <p className="govuk-body">{t('confirm.bringList')}</p>
      <div className="govuk-button-group vb-noprint">
        {others > 0 && <button type="button" className="govuk-button" onClick={bookOthers}>{t('confirm.others', { count: others })}</button>}
        <button type="button" className={`govuk-button${others > 0 ? ' govuk-button--secondary' : ''}`} onClick={ics}>{t('confirm.ics')}</button>
        <button type="button" className="govuk-button govuk-button--secondary" onClick={() => window.print()}>{t('print')}</button>
        <button type="button" className="govuk-link vb-link" onClick={restart}>{t('start')}</button>
      </div>
    </Page>
  );
}
