import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { Page } from './forms';

type Status = 'operational' | 'delayed' | 'disrupted' | 'unknown';
interface Component { id: 'booking' | 'email' | 'sms' | 'letter'; status: Status; waiting?: number; delayMinutes?: number }
interface Answer { status: Status; checkedAt: string; components: Component[] }

const TAG: Record<Status, string> = { operational: 'govuk-tag--green', delayed: 'govuk-tag--yellow', disrupted: 'govuk-tag--red', unknown: 'govuk-tag--grey' };

/** The public status page: how booking and each way we send messages are doing, in plain words, refreshed every minute. */
export function ServiceStatus({ back }: { back: () => void }) {
  const { t, i18n } = useTranslation();
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const load = () => void api<Answer>('GET', '/api/v1/status').then((r) => { setFailed(!r.ok); if (r.ok) setAnswer(r.body); });
    load();
    const timer = setInterval(load, 60_000);
    return () => clearInterval(timer);
  }, []);
  const at = answer && new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(answer.checkedAt));
  return (
    <Page title={t('status.title')} back={back}>
      {failed && <p className="govuk-body" role="alert">{t('status.unreachable')}</p>}
      {answer && (
        <>
          <p className="govuk-body-l" role="status">{t(`status.overall.${answer.status}`)}</p>
          <dl className="govuk-summary-list">
            {answer.components.map((c) => (
              <div className="govuk-summary-list__row" key={c.id}>
                <dt className="govuk-summary-list__key">{t(`status.component.${c.id}`)}</dt>
                <dd className="govuk-summary-list__value">
                  <strong className={`govuk-tag ${TAG[c.status]}`}>{t(`status.state.${c.status}`)}</strong>
                  {c.id !== 'booking' && c.status !== 'unknown' && (
                    <p className="govuk-body-s vb-status-detail">
                      {c.delayMinutes ? t('status.late', { count: c.delayMinutes }) : t('status.onTime')}
                      {' '}{t('status.waiting', { count: c.waiting ?? 0 })}
                    </p>
                  )}
                </dd>
              </div>
            ))}
          </dl>
          <p className="govuk-body-s">{t('status.checkedAt', { at })}</p>
          <p className="govuk-body-s">{t('status.meaning')}</p>
        </>
      )}
    </Page>
  );
}
