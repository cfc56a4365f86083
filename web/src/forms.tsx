import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** GOV.UK error summary: focused when it appears, each error a link to its field. */
export function ErrorSummary({ errors }: { errors: Array<{ id: string; message: string }> }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => { if (errors.length) ref.current?.focus(); }, [errors]);
  if (!errors.length) return null;
  return (
    <div className="govuk-error-summary" role="alert" tabIndex={-1} ref={ref}>
      <div role="alert">
        <h2 className="govuk-error-summary__title">{t('errorSummary')}</h2>
        <div className="govuk-error-summary__body">
          <ul className="govuk-list govuk-error-summary__list">
            {errors.map((e) => <li key={e.id}><a href={`#${e.id}`}>{e.message}</a></li>)}
          </ul>
        </div>
      </div>
    </div>
  );
}

export function TextField({ id, label, hint, error, value, onChange, onBlur, type = 'text', width, autoComplete, inputMode, labelSize }: {
  id: string; label: string; hint?: string; error?: string; value: string; onChange: (v: string) => void; onBlur?: () => void;
  type?: string; width?: 10 | 20 | 30; autoComplete?: string; inputMode?: 'numeric' | 'email' | 'tel' | 'text'; labelSize?: 'm';
}) {
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label className={`govuk-label${labelSize ? ` govuk-label--${labelSize}` : ''}`} htmlFor={id}>{label}</label>
      {hint && <div id={`${id}-hint`} className="govuk-hint">{hint}</div>}
      {error && <p id={`${id}-error`} className="govuk-error-message"><span className="govuk-visually-hidden">Error:</span> {error}</p>}
      <input className={`govuk-input${width ? ` govuk-input--width-${width}` : ''}${error ? ' govuk-input--error' : ''}`} id={id} name={id} type={type}
        value={value} onChange={(e) => onChange(e.target.value)} onBlur={onBlur} aria-describedby={describedBy} autoComplete={autoComplete} inputMode={inputMode} spellCheck={false} />
    </div>
  );
}

/** Day, month, year: the pattern people get right most often for a date they know. */
export function DateField({ id, legend, hint, error, value, onChange }: {
  id: string; legend: string; hint?: string; error?: string; value: { d: string; m: string; y: string }; onChange: (v: { d: string; m: string; y: string }) => void;
}) {
  const { t } = useTranslation();
  const part = (k: 'd' | 'm' | 'y', label: string, w: 2 | 4) => (
    <div className="govuk-date-input__item">
      <div className="govuk-form-group">
        <label className="govuk-label govuk-date-input__label" htmlFor={k === 'd' ? id : `${id}-${k}`}>{label}</label>
        <input className={`govuk-input govuk-date-input__input govuk-input--width-${w}${error ? ' govuk-input--error' : ''}`} id={k === 'd' ? id : `${id}-${k}`}
          inputMode="numeric" value={value[k]} onChange={(e) => onChange({ ...value, [k]: e.target.value.replace(/\D/g, '') })}
          autoComplete={k === 'd' ? 'bday-day' : k === 'm' ? 'bday-month' : 'bday-year'} />
      </div>
    </div>
  );
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" role="group" aria-describedby={[hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">{legend}</legend>
        {hint && <div id={`${id}-hint`} className="govuk-hint">{hint}</div>}
        {error && <p id={`${id}-error`} className="govuk-error-message"><span className="govuk-visually-hidden">Error:</span> {error}</p>}
        <div className="govuk-date-input">{part('d', t('elig.day'), 2)}{part('m', t('elig.month'), 2)}{part('y', t('elig.year'), 4)}</div>
      </fieldset>
    </div>
  );
}

/** The date typed as 'YYYY-MM-DD', or null when it is not a real date. */
export function isoDate(v: { d: string; m: string; y: string }): string | null {
  const d = Number(v.d), m = Number(v.m), y = Number(v.y);
  if (!Number.isInteger(d) || !Number.isInteger(m) || !Number.isInteger(y) || y < 1900 || y > 2100) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

export function Page({ title, children, back }: { title: string; children: ReactNode; back?: () => void }) {
  const { t } = useTranslation();
  const h1 = useRef<HTMLHeadingElement>(null);
  // A new step is announced by moving focus to its heading, as a new page would.
  useEffect(() => { h1.current?.focus(); document.title = `${title} – ${t('service')}`; }, [title, t]);
  return (
    <>
      {back && <button type="button" className="govuk-back-link vb-link" onClick={back}>{t('back')}</button>}
      <main className="govuk-main-wrapper" id="main-content">
        <h1 className="govuk-heading-l" tabIndex={-1} ref={h1}>{title}</h1>
        {children}
      </main>
    </>
  );
}
