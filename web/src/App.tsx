import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { Confirmation } from './Confirmation';
import { DetailsStep, emptyTyped, type Typed } from './Details';
import { EligibilityStep } from './Eligibility';
import { Manage } from './Manage';
import { ServiceStatus } from './ServiceStatus';
import { NotYet } from './NotYet';
import { SearchStep } from './Search';
import { TimesStep, type Chosen } from './Times';
import type { Booking, Clinic, Eligibility, OfferedDay, Person } from './types';
import { defaultPortal, PortalContext, type PortalSettings } from './portal';

type Step =
  | { name: 'eligibility' } | { name: 'notYet'; answer: Eligibility } | { name: 'search' }
  | { name: 'times'; clinic: Clinic; day: OfferedDay }
  | { name: 'details'; holdId: string; expiresAt: string; dose1: Chosen; dose2: Chosen | null }
  | { name: 'confirmation'; booking: Booking } | { name: 'manage' } | { name: 'status' };

/**
 * The portal: one page per question, as GOV.UK's booking services do. Steps
 * live in the browser history, so Back works; what was typed is kept when a
 * hold expires.
 */
export function App() {
  const { t, i18n } = useTranslation();
  const [step, setStepState] = useState<Step>(location.pathname === '/manage' ? { name: 'manage' } : location.pathname === '/status' ? { name: 'status' } : { name: 'eligibility' });
  const [person, setPerson] = useState<Person | null>(null);
  const [typed, setTyped] = useState<Typed>(emptyTyped);
  const [notice, setNotice] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(0);
  useEffect(() => {
    const onBusy = (e: Event) => setBusy((e as CustomEvent<number>).detail);
    addEventListener('vb-busy', onBusy);
    return () => removeEventListener('vb-busy', onBusy);
  }, []);

  const [portal, setPortal] = useState<PortalSettings>(defaultPortal);
  useEffect(() => {
    void api<PortalSettings>('GET', '/api/v1/portal').then((r) => {
      if (!r.ok) return;
      setPortal(r.body);
      setName(r.body.name);
      document.documentElement.style.setProperty('--vb-brand', r.body.brandColour);
    });
  }, []);
  const go = useCallback((s: Step) => {
    history.pushState({ n: Date.now() }, '', s.name === 'manage' ? '/manage' : s.name === 'status' ? '/status' : '/');
    setStepState(s);
  }, []);
  // Back through the steps (a hold or a booking made is not undone by Back: the server owns those).
  const [, setTrail] = useState<Step[]>([]);
  const to = useCallback((s: Step) => { setTrail((tr) => [...tr, step]); go(s); }, [go, step]);
  const back = useCallback(() => { setTrail((tr) => { const prev = tr[tr.length - 1]; if (prev) setStepState(prev); return tr.slice(0, -1); }); }, []);
  useEffect(() => { const onPop = () => back(); addEventListener('popstate', onPop); return () => removeEventListener('popstate', onPop); }, [back]);
  const expired = useCallback(() => { setNotice(t('hold.expired')); setStepState({ name: 'search' }); }, [t]);

  return (
    <PortalContext.Provider value={portal}>
      <a href="#main-content" className="govuk-skip-link">{t('skip')}</a>
      <header className="vb-header" role="banner">
        <div className="govuk-width-container vb-header__inner">
          <a href="/" className="vb-header__name">{portal.logoUrl && <img src={portal.logoUrl} alt="" className="vb-logo" />}{name || 'vaxbook'}</a>
          <span>{t('service')}</span>
          <button type="button" className="vb-link" lang={t('switchLang')} onClick={() => void i18n.changeLanguage(t('switchLang'))}>{t('switchTo')}</button>
        </div>
      </header>
      <div className="govuk-width-container">
        {busy > 0 && <div className="govuk-warning-text" role="status"><span className="govuk-warning-text__icon" aria-hidden="true">!</span><strong className="govuk-warning-text__text">{t('busy', { seconds: busy })}</strong></div>}
        {notice && <div className="govuk-notification-banner" role="alert"><div className="govuk-notification-banner__content"><p className="govuk-notification-banner__heading">{notice}</p></div></div>}
        {step.name === 'eligibility' && <EligibilityStep person={person}
          onEligible={(p) => { setPerson(p); setNotice(''); to({ name: 'search' }); }}
          onNotYet={(p, answer) => { setPerson(p); to({ name: 'notYet', answer }); }} />}
        {step.name === 'notYet' && <NotYet answer={step.answer} back={back} />}
        {/* keyed by who is booked: booking separately starts a new search for fewer people */}
        {step.name === 'search' && person && <SearchStep key={[person.dateOfBirth, ...person.dependents].join()} person={person} back={back}
          onChoose={(clinic, day) => { setNotice(''); to({ name: 'times', clinic, day }); }}
          onSeparately={() => setPerson({ ...person, dependents: [], later: person.dependents })} />}
        {step.name === 'times' && person && <TimesStep person={person} clinic={step.clinic} day={step.day} back={back}
          onHeld={(hold, dose1, dose2) => to({ name: 'details', holdId: hold.holdId, expiresAt: hold.expiresAt, dose1, dose2 })} />}
        {step.name === 'details' && person && <DetailsStep person={person} holdId={step.holdId} expiresAt={step.expiresAt} typed={typed} setTyped={setTyped}
          back={back} onExpired={expired} onBooked={(booking) => { setTrail([]); go({ name: 'confirmation', booking }); }} />}
        {step.name === 'confirmation' && <Confirmation booking={step.booking} restart={() => { setTyped(emptyTyped); setTrail([]); go({ name: 'eligibility' }); }}
          others={person?.later?.length ?? 0}
          bookOthers={() => {
            // The others, together (their eligibility was checked at the start); contact and consent stay, names are theirs to type.
            const [first, ...rest] = person!.later!;
            setPerson({ ...person!, dateOfBirth: first!, dependents: rest, later: [], groups: [] });
            setTyped({ ...typed, people: [] });
            go({ name: 'search' });
          }} />}
        {step.name === 'manage' && <Manage back={() => go({ name: 'eligibility' })} />}
        {step.name === 'status' && <ServiceStatus back={() => go({ name: 'eligibility' })} />}
        {step.name === 'eligibility' && <p className="govuk-body vb-noprint"><button type="button" className="govuk-link vb-link" onClick={() => to({ name: 'manage' })}>{t('manage.link')}</button></p>}
        {step.name === 'eligibility' && <p className="govuk-body vb-noprint"><a className="govuk-link" href="/status" onClick={(e) => { e.preventDefault(); to({ name: 'status' }); }}>{t('status.link')}</a></p>}
      </div>
    </PortalContext.Provider>
  );
}
