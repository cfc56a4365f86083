import { useTranslation } from 'react-i18next';
import { longDay } from './format';
import { calendar, download } from './ics';
import { Page } from './forms';
import type { Eligibility } from './types';

/** "Not yet": when, why, and a calendar reminder for the day booking opens. */
export function NotYet({ answer, back }: { answer: Eligibility; back: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'fr' ? 'fr' : 'en';
  const first = answer.reasons.find((r) => r.opensOn);
  const remind = () => {
    const start = new Date(`${first!.opensOn}T09:00:00`);
    download('vaccination-reminder.ics', calendar([{ uid: `remind-${first!.opensOn}@vaxbook`, start, end: new Date(start.getTime() + 15 * 60_000),
      title: t('notYet.remindTitle'), description: `${location.origin}/` }]));
  };
  return (
    <Page title={t('notYet.title')} back={back}>
      {first && <p className="govuk-body-l">{t('notYet.when', { date: longDay(first.opensOn!) })}</p>}
      <h2 className="govuk-heading-m">{t('notYet.why')}</h2>
      <ul className="govuk-list govuk-list--bullet">
        {answer.reasons.map((r, i) => <li key={i}>{r.messages[lang]}</li>)}
      </ul>
      {first && (
        <>
          <p className="govuk-body">{t('notYet.told')}</p>
          <button type="button" className="govuk-button govuk-button--secondary" onClick={remind}>{t('notYet.remind')}</button>
        </>
      )}
    </Page>
  );
}
