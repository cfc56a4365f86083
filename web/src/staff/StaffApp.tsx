import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n';
import { ErrorSummary, Page, TextField } from '../forms';
import { setCsrf, staffApi, type StaffSession } from './staff-api';
import { staffStrings } from './strings';

i18n.addResourceBundle('en', 'translation', staffStrings.en, true, true);
i18n.addResourceBundle('fr', 'translation', staffStrings.fr, true, true);

// Each console is its own chunk: an agent's browser never loads the clinic's code.
const CallCentre = lazy(() => import('./CallCentre'));
const ClinicConsole = lazy(() => import('./ClinicConsole'));
const AdminConsole = lazy(() => import('./AdminConsole'));

type Console = 'call-centre' | 'clinic' | 'admin';
const CONSOLES: Record<Console, string[]> = {
  'call-centre': ['administrator', 'agent'],
  clinic: ['administrator', 'region_manager', 'clinic_manager', 'vaccinator', 'reception'],
  admin: ['administrator', 'region_manager', 'clinic_manager'],
};
const consoleOf = (path: string): Console | null => (['call-centre', 'clinic', 'admin'] as const).find((c) => path.startsWith(`/staff/${c}`)) ?? null;

/** The staff side: sign in, then the consoles the role may use (the server checks every operation again). */
export default function StaffApp() {
  const { t } = useTranslation();
  const [session, setSession] = useState<StaffSession | null | undefined>(undefined);
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    void staffApi<StaffSession>('GET', '/api/v1/staff/session').then((r) => { if (r.ok) setCsrf(r.body.csrfToken); setSession(r.ok ? r.body : null); });
    const onPop = () => setPath(location.pathname);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const go = (to: string) => { history.pushState({}, '', to); setPath(to); };
  const signOut = async () => { await staffApi('POST', '/api/v1/staff/logout'); setSession(null); go('/staff'); };

  const allowed = (Object.keys(CONSOLES) as Console[]).filter((c) => session && CONSOLES[c].includes(session.staff.role));
  const current = consoleOf(path);
  return (
    <>
      <a href="#main-content" className="govuk-skip-link">{t('skip')}</a>
      <header className="vb-header" role="banner">
        <div className="govuk-width-container vb-header__inner">
          <a href="/staff" className="vb-header__name" onClick={(e) => { e.preventDefault(); go('/staff'); }}>{t('staff.service')}</a>
          {session && <span>{t('staff.signedInAs', { name: session.staff.displayName, role: t(`staff.roles.${session.staff.role}`) })}</span>}
          <span>
            <button type="button" className="vb-link" lang={t('switchLang')} onClick={() => void i18n.changeLanguage(t('switchLang'))}>{t('switchTo')}</button>
            {session && <> · <button type="button" className="vb-link" onClick={() => void signOut()}>{t('staff.signOut')}</button></>}
          </span>
        </div>
      </header>
      <div className="govuk-width-container vb-staff">
        {session === null && <Login onSignedIn={(s) => { setCsrf(s.csrfToken); setSession(s); if (!current) go(`/staff/${defaultConsole(s.staff.role)}`); }} />}
        {session && (!current || !allowed.includes(current)) && (
          <Page title={t('staff.choose')}>
            <ul className="govuk-list" aria-label={t('staff.choose')}>
              {allowed.map((c) => <li key={c}><a className="govuk-link" href={`/staff/${c}`} onClick={(e) => { e.preventDefault(); go(`/staff/${c}`); }}>{t(`staff.consoles.${c === 'call-centre' ? 'callCentre' : c}`)}</a></li>)}
            </ul>
            {session.staff.id !== null && !session.staff.totpEnabled && <TotpSetup />}
          </Page>
        )}
        <Suspense fallback={<p className="govuk-body" role="status">…</p>}>
          {session && current === 'call-centre' && allowed.includes(current) && <CallCentre />}
          {session && current === 'clinic' && allowed.includes(current) && <ClinicConsole session={session} />}
          {session && current === 'admin' && allowed.includes(current) && <AdminConsole session={session} />}
        </Suspense>
      </div>
    </>
  );
}

const defaultConsole = (role: string): Console => (role === 'agent' ? 'call-centre' : ['vaccinator', 'reception'].includes(role) ? 'clinic' : role === 'administrator' ? 'call-centre' : 'admin');

function Login({ onSignedIn }: { onSignedIn: (s: StaffSession) => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(false);
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await staffApi<StaffSession>('POST', '/api/v1/staff/login', { email, password, ...(totp ? { totp } : {}) });
    if (r.ok) return onSignedIn(r.body);
    if (r.error.code === 'totp_required' || r.error.code === 'totp_invalid') setNeedsTotp(true);
    setErrors([{ id: r.error.field === 'totp' ? 'totp' : 'password', message: r.error.message }]);
  };
  return (
    <Page title={t('staff.signIn')}>
      <ErrorSummary errors={errors} />
      <form onSubmit={submit} noValidate>
        <TextField id="email" label={t('staff.email')} type="email" value={email} onChange={setEmail} width={30} autoComplete="username" />
        <TextField id="password" label={t('staff.password')} type="password" value={password} onChange={setPassword} width={30} autoComplete="current-password"
          error={errors.find((x) => x.id === 'password')?.message} />
        {needsTotp && <TextField id="totp" label={t('staff.totp')} value={totp} onChange={setTotp} width={10} inputMode="numeric" autoComplete="one-time-code"
          error={errors.find((x) => x.id === 'totp')?.message} />}
        <button type="submit" className="govuk-button">{t('staff.signIn')}</button>
      </form>
    </Page>
  );
}

/** The optional second factor: a key for an authenticator app, in force once a code from it is confirmed. */
function TotpSetup() {
  const { t } = useTranslation();
  const [key, setKey] = useState<{ secret: string; uri: string } | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [on, setOn] = useState(false);
  const start = async () => {
    const r = await staffApi<{ secret: string; uri: string }>('POST', '/api/v1/staff/session/totp');
    if (r.ok) setKey(r.body); else setError(r.error.message);
  };
  const confirm = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await staffApi('POST', '/api/v1/staff/session/totp/confirm', { code });
    if (r.ok) setOn(true); else setError(r.error.message);
  };
  return (
    <section aria-labelledby="totp-title">
      <h2 className="govuk-heading-m" id="totp-title">{t('staff.panels.security')}</h2>
      {on ? <p className="govuk-body" role="status">{t('staff.panels.on')}</p> : !key ? (
        <button type="button" className="govuk-button govuk-button--secondary" onClick={() => void start()}>{t('staff.panels.start')}</button>
      ) : (
        <form onSubmit={confirm} noValidate>
          <p className="govuk-body">{t('staff.panels.securityIntro')}</p>
          <p className="govuk-body">{t('staff.panels.key')}: <code data-testid="totp-secret">{key.secret}</code> · <a className="govuk-link" href={key.uri}>otpauth</a></p>
          <TextField id="totp-code" label={t('staff.totp')} value={code} onChange={setCode} width={10} inputMode="numeric" autoComplete="one-time-code" error={error || undefined} />
          <button type="submit" className="govuk-button">{t('staff.panels.confirm')}</button>
        </form>
      )}
    </section>
  );
}
