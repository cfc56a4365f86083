import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { keySpent, newKey } from '../api';
import { dayIn, km, longDay, shortDay, time } from '../format';
import { DateField, ErrorSummary, isoDate, Page, TextField } from '../forms';
import type { Appointment, Clinic, OfferedDay, SearchAnswer, Slot } from '../types';
import { DayList } from '../DayList';
import { DosePicker } from '../DosePicker';
import { dosesFrom } from '../doses';
import { staffApi } from './staff-api';

interface Person {
  id?: string; givenName: string; familyName: string; dateOfBirth: string; identifier: string; regionCode: string | null; postalCode: string | null;
  language?: string; email?: string | null; mobile?: string | null;
  /** Someone without a health card: another document the agent has seen (the clinic checks it again). */
  identityDocument?: { type: string; number: string };
  invitationCode?: string;
  /** Groups the roll-out knows them in (health-care worker, …): the search offers what those open. */
  groups?: string[];
  /** The roll-out cohorts they come in through now: times in sessions serving only those show to the agent. */
  cohorts?: string[];
}
interface PersonRecord {
  person: Person & { id: string };
  eligibility: { eligible: boolean; dose: number; reasons: Array<{ message: string }>; ways?: Array<{ cohort: { id: string } | null }> };
  doses: Array<{ dose: number; product: string; productName: string; administeredAt: string; source: string }>;
  bookings: Array<{ confirmationCode: string; appointments: Appointment[]; messages?: Array<{ kind: string; channel: string; status: string; createdAt: string; sentAt: string | null }> }>;
  notes: Array<{ id: string; note: string; createdAt: string; by: string }>;
}
type Step = { name: 'find' } | { name: 'new' } | { name: 'record'; id: string } | { name: 'book'; person: Person; dose: number; previous?: { date: string; product: string } }
  | { name: 'done'; code: string; appointments: Appointment[]; personId?: string };

/** The call-centre console: find the caller, see everything, book with the same search and pairing as the portal. Keyboard first. */
export default function CallCentre() {
  const [step, setStep] = useState<Step>({ name: 'find' });
  const [reason, setReason] = useState('');
  return (
    <>
      {step.name === 'find' && <Find reason={reason} setReason={setReason} onOpen={(id) => setStep({ name: 'record', id })} onNew={() => setStep({ name: 'new' })} />}
      {step.name === 'new' && <NewCaller back={() => setStep({ name: 'find' })} onContinue={(p) => setStep({ name: 'book', person: p, dose: 1 })} />}
      {step.name === 'record' && <Record id={step.id} reason={reason} back={() => setStep({ name: 'find' })}
        onBook={(r) => {
          const last = r.doses.at(-1);
          const cohorts = (r.eligibility.ways ?? []).flatMap((w) => (w.cohort ? [w.cohort.id] : []));
          setStep({ name: 'book', person: { ...r.person, cohorts }, dose: r.eligibility.dose, previous: last && r.eligibility.dose > 1 ? { date: last.administeredAt.slice(0, 10), product: last.product } : undefined });
        }} />}
      {step.name === 'book' && <Book person={step.person} dose={step.dose} previous={step.previous} reason={reason} back={() => setStep(step.person.id ? { name: 'record', id: step.person.id } : { name: 'find' })}
        onBooked={(code, appointments) => setStep({ name: 'done', code, appointments, personId: step.person.id })} />}
      {step.name === 'done' && <Done code={step.code} appointments={step.appointments} onNext={() => setStep({ name: 'find' })} />}
    </>
  );
}

function Find({ reason, setReason, onOpen, onNew }: { reason: string; setReason: (r: string) => void; onOpen: (id: string) => void; onNew: () => void }) {
  const { t } = useTranslation();
  const [identifier, setIdentifier] = useState('');
  const [given, setGiven] = useState('');
  const [family, setFamily] = useState('');
  const [postal, setPostal] = useState('');
  const [dob, setDob] = useState({ d: '', m: '', y: '' });
  const [found, setFound] = useState<Person[] | null>(null);
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const day = isoDate(dob);
    if (!day) return setErrors([{ id: 'dob', message: t('elig.dobMissing') }]);
    const r = await staffApi<{ items: Person[] }>('POST', '/api/v1/staff/persons/search', {
      dateOfBirth: day, reason, ...(identifier.trim() ? { identifier } : { givenName: given, familyName: family, ...(postal.trim() ? { postalCode: postal } : {}) }) });
    if (!r.ok) return setErrors([{ id: r.error.field === 'reason' ? 'reason' : r.error.field === 'postalCode' ? 'postal' : r.error.field === 'givenName' ? 'given' : 'identifier', message: r.error.message }]);
    setErrors([]);
    if (r.body.items.length === 1) return onOpen(r.body.items[0]!.id!);
    setFound(r.body.items);
  };
  return (
    <Page title={t('staff.find.title')}>
      <ErrorSummary errors={errors} />
      <form onSubmit={submit} noValidate>
        <TextField id="identifier" label={t('staff.find.identifier')} value={identifier} onChange={setIdentifier} width={20} error={errors.find((x) => x.id === 'identifier')?.message} />
        <DateField id="dob" legend={t('elig.dob')} value={dob} onChange={setDob} error={errors.find((x) => x.id === 'dob')?.message} />
        <details className="govuk-details">
          <summary className="govuk-details__summary"><span className="govuk-details__summary-text">{t('staff.find.names')}</span></summary>
          <div className="govuk-details__text">
            <TextField id="given" label={t('staff.find.given')} value={given} onChange={setGiven} width={20} error={errors.find((x) => x.id === 'given')?.message} />
            <TextField id="family" label={t('staff.find.family')} value={family} onChange={setFamily} width={20} />
            <TextField id="postal" label={t('staff.find.postal')} value={postal} onChange={setPostal} width={10} error={errors.find((x) => x.id === 'postal')?.message} />
          </div>
        </details>
        <TextField id="reason" label={t('staff.find.reason')} hint={t('staff.find.reasonHint')} value={reason} onChange={setReason} width={30} error={errors.find((x) => x.id === 'reason')?.message} />
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button">{t('staff.find.search')}</button>
          <button type="button" className="govuk-button govuk-button--secondary" onClick={onNew}>{t('staff.find.newCaller')}</button>
        </div>
      </form>
      {found && (found.length === 0 ? <p className="govuk-body" role="status">{t('staff.find.none')}</p> : (
        <>
          <h2 className="govuk-heading-m">{t('staff.find.results')}</h2>
          <ul className="govuk-list">
            {found.map((p) => <li key={p.id}><button type="button" className="govuk-link vb-link" onClick={() => onOpen(p.id!)}>{t('staff.find.open', { name: `${p.givenName} ${p.familyName}` })}</button> – {p.postalCode ?? ''}</li>)}
          </ul>
        </>
      ))}
    </Page>
  );
}

function Record({ id, reason, back, onBook }: { id: string; reason: string; back: () => void; onBook: (r: PersonRecord) => void }) {
  const { t } = useTranslation();
  const [record, setRecord] = useState<PersonRecord | null>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  const [moving, setMoving] = useState<{ code: string; dose: number; person: number; near: { latitude: number; longitude: number };
    previous?: { day: string; product: string }; next?: { day: string; product: string } } | null>(null);
  const load = async () => {
    const r = await staffApi<PersonRecord>('GET', `/api/v1/staff/persons/${id}?reason=${encodeURIComponent(reason || 'call')}`);
    if (r.ok) setRecord(r.body); else setErrors([{ id: 'note', message: r.error.message }]);
  };
  useEffect(() => { void load(); }, [id]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!record) return <ErrorSummary errors={errors} />;
  const p = record.person;
  // A booking may be a guardian's for several people: each line acts on its own person's doses only.
  const cancel = async (code: string, doses: number[], person: number) => {
    const r = await staffApi('POST', `/api/v1/staff/bookings/${encodeURIComponent(code)}/cancel`, { doses, person, reason: t('staff.record.cancelReason') }, { 'idempotency-key': newKey() });
    await load();
    if (!r.ok) setErrors([{ id: 'note', message: r.error.message }]);
  };
  /** Moving a dose: the portal's picker, inside the window the doses before and after leave it (the search applies the rules). */
  const startMove = async (code: string, a: Appointment) => {
    const clinic = await staffApi<{ latitude: number; longitude: number }>('GET', `/api/v1/clinics/${a.clinic.id}`);
    const products = await staffApi<{ items: Array<{ code: string; name: string }> }>('GET', '/api/v1/products');
    if (!clinic.ok || !products.ok || !record) return;
    const codeOf = (name: string) => products.body.items.find((p) => p.name === name)?.code ?? name;
    const booking = record.bookings.find((b) => b.confirmationCode === code)!;
    const other = (dose: number, statuses: string[]) => booking.appointments.find((x) => x.person === a.person && x.dose === dose && statuses.includes(x.status));
    const before = other(a.dose - 1, ['booked', 'checked_in', 'completed']);
    const given = record.doses.find((d) => d.dose === a.dose - 1);
    const after = other(a.dose + 1, ['booked', 'checked_in']);
    setMoving({ code, dose: a.dose, person: a.person, near: { latitude: clinic.body.latitude, longitude: clinic.body.longitude },
      // The line's own person's dose before, from this booking; else the record's history (the line is then usually
      // the record's person: a guardian's booking keeps every child's dose 1 in it).
      previous: before ? { day: dayIn(before.startsAt, before.clinic.timeZone), product: codeOf(before.product) } : given ? { day: given.administeredAt.slice(0, 10), product: given.product } : undefined,
      next: after ? { day: dayIn(after.startsAt, after.clinic.timeZone), product: codeOf(after.product) } : undefined });
  };
  const move = async (slotId: number) => {
    if (!moving) return;
    const r = await staffApi('POST', `/api/v1/staff/bookings/${encodeURIComponent(moving.code)}/reschedule`, { dose: moving.dose, slotId, person: moving.person, reason: reason || t('staff.record.moveReason') }, { 'idempotency-key': newKey() });
    setMoving(null);
    if (!r.ok) setErrors([{ id: 'note', message: r.error.message }]);
    await load();
  };
  const saveNote = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await staffApi('POST', `/api/v1/staff/persons/${id}/notes`, { note });
    if (!r.ok) return setErrors([{ id: 'note', message: r.error.message }]);
    setNote('');
    await load();
  };
  return (
    <Page title={t('staff.record.title', { name: `${p.givenName} ${p.familyName}` })} back={back}>
      <ErrorSummary errors={errors} />
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">{t('elig.dob')}</dt><dd className="govuk-summary-list__value">{longDay(p.dateOfBirth)}</dd></div>
        <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">{t('staff.find.identifier')}</dt><dd className="govuk-summary-list__value">{p.identifier}</dd></div>
        <div className="govuk-summary-list__row"><dt className="govuk-summary-list__key">{t('staff.record.contact')}</dt><dd className="govuk-summary-list__value">{[p.email, p.mobile, p.postalCode].filter(Boolean).join(' · ')}</dd></div>
      </dl>
      <div className="govuk-inset-text">
        <p className="govuk-body">{record.eligibility.eligible ? t('staff.record.eligible', { dose: record.eligibility.dose }) : t('staff.record.notEligible')}</p>
        {record.eligibility.reasons.map((r, i) => <p className="govuk-body" key={i}>{r.message}</p>)}
      </div>
      {record.eligibility.eligible && <button type="button" className="govuk-button" onClick={() => onBook(record)}>{t('staff.record.book')}</button>}
      <h2 className="govuk-heading-m">{t('staff.record.doses')}</h2>
      {record.doses.length ? (
        <ul className="govuk-list">{record.doses.map((d) => <li key={d.dose}>{t('staff.record.dose', { dose: d.dose })}: {d.productName}, {longDay(d.administeredAt.slice(0, 10))}</li>)}</ul>
      ) : <p className="govuk-body">{t('staff.record.noDoses')}</p>}
      <h2 className="govuk-heading-m">{t('staff.record.bookings')}</h2>
      {record.bookings.length === 0 && <p className="govuk-body">{t('staff.record.noBookings')}</p>}
      {record.bookings.map((b) => (
        <div key={b.confirmationCode} className="govuk-summary-card">
          <div className="govuk-summary-card__title-wrapper"><h3 className="govuk-summary-card__title">{b.confirmationCode}</h3></div>
          <div className="govuk-summary-card__content">
            <ul className="govuk-list">
              {b.appointments.filter((a) => a.status !== 'cancelled').map((a, _, live) => {
                // With several people in the booking, each line and its buttons say whose dose it is.
                const whose = live.some((x) => x.person !== a.person) ? `${a.personGivenName} – ` : '';
                return (
                <li key={`${a.person}-${a.dose}-${a.slotId}`}>
                  {whose}{t('staff.record.dose', { dose: a.dose })}: {longDay(dayIn(a.startsAt, a.clinic.timeZone))} {time(a.startsAt, a.clinic.timeZone)}, {a.clinic.name} ({t(`staff.clinic.statuses.${a.status}`)})
                  {a.status === 'booked' && (() => {
                    const doses = dosesFrom(b.appointments.filter((x) => x.person === a.person), a.dose);
                    const move = t('staff.record.moveDose', { dose: a.dose });
                    const cancelText = doses.length > 1 ? t('staff.record.cancelFrom', { dose: a.dose }) : t('staff.record.cancelDose', { dose: a.dose });
                    return <> <button type="button" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" aria-label={whose ? `${whose}${move}` : undefined}
                      onClick={() => void startMove(b.confirmationCode, a)}>{move}</button>
                    {' '}<button type="button" className="govuk-button govuk-button--warning govuk-!-margin-bottom-0" aria-label={whose ? `${whose}${cancelText}` : undefined}
                      onClick={() => void cancel(b.confirmationCode, doses, a.person)}>{cancelText}</button></>;
                  })()}
                </li>
                );
              })}
            </ul>
            {(b.messages?.length ?? 0) > 0 && (
              <ul className="govuk-list govuk-body-s" aria-label={t('staff.messages.title')}>
                {b.messages!.map((m, i) => <li key={i}>{t(`staff.messages.kinds.${m.kind}`)} – {t(`staff.messages.channels.${m.channel}`)}: {t(`staff.messages.statuses.${m.status}`)}
                  {m.sentAt ? ` (${new Date(m.sentAt).toLocaleString()})` : ''}</li>)}
              </ul>
            )}
          </div>
        </div>
      ))}
      {moving && (
        <section className="govuk-!-margin-top-6" aria-labelledby="moving">
          <h2 className="govuk-heading-m" id="moving">{t('manage.newTime', { dose: moving.dose })}</h2>
          <DosePicker near={moving.near} dateOfBirth={p.dateOfBirth} dose={moving.dose} previous={moving.previous} next={moving.next}
            window={{ earliest: moving.previous?.day ?? new Date().toISOString().slice(0, 10), latest: null }} regionCode={p.regionCode ?? undefined}
            onPick={(x) => void move(x.slot.slotId)} />
        </section>
      )}
      <h2 className="govuk-heading-m">{t('staff.record.notes')}</h2>
      <ul className="govuk-list">{record.notes.map((n) => <li key={n.id}>{new Date(n.createdAt).toLocaleString()} – {n.by}: {n.note}</li>)}</ul>
      <form onSubmit={saveNote} noValidate>
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="note">{t('staff.record.note')}</label>
          <textarea className="govuk-textarea" id="note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <button type="submit" className="govuk-button govuk-button--secondary">{t('staff.record.saveNote')}</button>
      </form>
      <p className="govuk-body"><button type="button" className="govuk-link vb-link" onClick={back}>{t('staff.record.newSearch')}</button></p>
    </Page>
  );
}

function NewCaller({ back, onContinue }: { back: () => void; onContinue: (p: Person) => void }) {
  const { t } = useTranslation();
  const [p, setP] = useState({ identifier: '', givenName: '', familyName: '', postalCode: '', email: '', mobile: '', language: 'en', docType: 'passport', docNumber: '', invitation: '' });
  const [dob, setDob] = useState({ d: '', m: '', y: '' });
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  const set = (k: keyof typeof p) => (v: string) => setP({ ...p, [k]: v });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const day = isoDate(dob);
    if (!day) return setErrors([{ id: 'dob', message: t('elig.dobMissing') }]);
    const document = !p.identifier.trim() && p.docNumber.trim() ? { type: p.docType, number: p.docNumber.trim() } : undefined;
    if (!document) {
      const check = await staffApi<{ valid: boolean; message: string | null }>('POST', '/api/v1/identifiers/check', { identifier: p.identifier, dateOfBirth: day });
      if (check.ok && !check.body.valid) return setErrors([{ id: 'identifier', message: check.body.message ?? '' }]);
    }
    // The same screening as the portal: the region comes from the postal code, and a "not yet" is said before searching.
    const e2 = await staffApi<{ eligible: boolean; regionCode: string | null; reasons: Array<{ message: string }> }>('POST', '/api/v1/eligibility', {
      dateOfBirth: day, ...(p.postalCode.trim() ? { place: p.postalCode.trim() } : {}), ...(p.invitation.trim() ? { invitationCode: p.invitation.trim() } : {}) });
    if (!e2.ok) return setErrors([{ id: e2.error.field === 'place' ? 'postalCode' : e2.error.field === 'invitationCode' ? 'invitation' : 'dob', message: e2.error.message }]);
    if (!e2.body.eligible) return setErrors([{ id: 'dob', message: e2.body.reasons[0]?.message ?? t('staff.record.notEligible') }]);
    onContinue({ identifier: p.identifier, givenName: p.givenName, familyName: p.familyName, language: p.language, dateOfBirth: day, regionCode: e2.body.regionCode,
      email: p.email || null, mobile: p.mobile || null, postalCode: p.postalCode || null, identityDocument: document, invitationCode: p.invitation.trim() || undefined });
  };
  return (
    <Page title={t('staff.newPerson.title')} back={back}>
      <ErrorSummary errors={errors} />
      <form onSubmit={submit} noValidate>
        <TextField id="identifier" label={t('staff.newPerson.identifier')} value={p.identifier} onChange={set('identifier')} width={20} error={errors.find((x) => x.id === 'identifier')?.message} />
        <details className="govuk-details">
          <summary className="govuk-details__summary"><span className="govuk-details__summary-text">{t('staff.newPerson.noCard')}</span></summary>
          <div className="govuk-details__text">
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="docType">{t('staff.newPerson.docType')}</label>
              <select className="govuk-select" id="docType" value={p.docType} onChange={(e) => set('docType')(e.target.value)}>
                {['passport', 'drivers_licence', 'birth_certificate', 'status_card', 'other'].map((d) => <option key={d} value={d}>{t(`staff.newPerson.docs.${d}`)}</option>)}
              </select>
            </div>
            <TextField id="docNumber" label={t('staff.newPerson.docNumber')} value={p.docNumber} onChange={set('docNumber')} width={20} />
          </div>
        </details>
        <DateField id="dob" legend={t('staff.newPerson.dob')} value={dob} onChange={setDob} error={errors.find((x) => x.id === 'dob')?.message} />
        <TextField id="givenName" label={t('staff.find.given')} value={p.givenName} onChange={set('givenName')} width={20} />
        <TextField id="familyName" label={t('staff.find.family')} value={p.familyName} onChange={set('familyName')} width={20} />
        <TextField id="postalCode" label={t('staff.newPerson.place')} value={p.postalCode} onChange={set('postalCode')} width={10} error={errors.find((x) => x.id === 'postalCode')?.message} />
        <TextField id="email" label={t('staff.newPerson.email')} type="email" value={p.email} onChange={set('email')} width={30} />
        <TextField id="mobile" label={t('staff.newPerson.mobile')} type="tel" value={p.mobile} onChange={set('mobile')} width={20} />
        <TextField id="invitation" label={t('staff.newPerson.invitation')} value={p.invitation} onChange={set('invitation')} width={10} error={errors.find((x) => x.id === 'invitation')?.message} />
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="language">{t('staff.newPerson.language')}</label>
          <select className="govuk-select" id="language" value={p.language} onChange={(e) => set('language')(e.target.value)}><option value="en">English</option><option value="fr">Français</option></select>
        </div>
        <button type="submit" className="govuk-button">{t('staff.newPerson.continue')}</button>
      </form>
    </Page>
  );
}

function Book({ person, dose, previous, reason, back, onBooked }: {
  person: Person; dose: number; previous?: { date: string; product: string }; reason: string; back: () => void; onBooked: (code: string, a: Appointment[]) => void;
}) {
  const { t } = useTranslation();
  const [place, setPlace] = useState(person.postalCode?.slice(0, 3) ?? '');
  const [answer, setAnswer] = useState<SearchAnswer | null>(null);
  const [chosen, setChosen] = useState<{ clinic: Clinic; day: OfferedDay } | null>(null);
  const [times, setTimes] = useState<{ first: Slot[]; second: Slot[] }>({ first: [], second: [] });
  const [pick, setPick] = useState<{ first?: number; second?: number }>({});
  const [errors, setErrors] = useState<Array<{ id: string; message: string }>>([]);
  const [key, setKey] = useState(newKey);
  const search = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await staffApi<SearchAnswer>('POST', '/api/v1/availability/search', {
      place, radiusKm: 25, dateOfBirth: person.dateOfBirth, dose, limit: 5, ...(person.regionCode ? { regionCode: person.regionCode } : {}),
      ...(person.groups?.length ? { groups: person.groups } : {}),
      ...(previous ? { previousDoseDate: previous.date, previousProduct: previous.product } : {}) });
    if (!r.ok) return setErrors([{ id: 'place', message: r.error.message }]);
    setErrors([]);
    setAnswer(r.body);
  };
  const choose = async (clinic: Clinic, day: OfferedDay) => {
    setChosen({ clinic, day });
    const only = person.cohorts?.length ? `&cohorts=${encodeURIComponent(person.cohorts.join(','))}` : '';
    const get = (c: number, d: string) => staffApi<{ items: Slot[] }>('GET', `/api/v1/clinics/${c}/days/${d}/slots?product=${encodeURIComponent(day.product.code)}${only}`);
    const [a, b] = await Promise.all([get(clinic.id, day.day), day.nextDose ? get(day.nextDose.clinicId, day.nextDose.day) : Promise.resolve(null)]);
    const first = a.ok ? a.body.items : [];
    const second = b && b.ok ? b.body.items : [];
    setTimes({ first, second });
    setPick({ first: first[0]?.slotId, second: second[0]?.slotId });
  };
  const book = async (e: React.FormEvent) => {
    e.preventDefault();
    const slots = [{ dose, slotId: pick.first! }, ...(chosen?.day.nextDose && pick.second ? [{ dose: dose + 1, slotId: pick.second }] : [])];
    const r = await staffApi<{ confirmationCode: string; appointments: Appointment[] }>('POST', '/api/v1/staff/bookings', {
      slots, reason: reason || undefined, ...(person.invitationCode ? { invitationCode: person.invitationCode } : {}),
      persons: [{ ...(person.identityDocument ? { identityDocument: person.identityDocument } : { identifier: person.identifier }), dateOfBirth: person.dateOfBirth, givenName: person.givenName, familyName: person.familyName, language: person.language ?? 'en',
        ...(person.email ? { email: person.email } : {}), ...(person.mobile ? { mobile: person.mobile } : {}), ...(person.regionCode ? { regionCode: person.regionCode } : {}),
        ...(previous && !person.id ? { previousDoses: [previous] } : {}) }],
    }, { 'idempotency-key': key });
    if (keySpent(r)) setKey(newKey());
    if (!r.ok) return setErrors([{ id: 'time1', message: r.error.message }]);
    onBooked(r.body.confirmationCode, r.body.appointments);
  };
  const tz = chosen?.clinic.timeZone ?? 'America/Toronto';
  return (
    <Page title={t('staff.book.title', { name: `${person.givenName} ${person.familyName}` })} back={back}>
      <ErrorSummary errors={errors} />
      {!chosen && (
        <form onSubmit={search} noValidate>
          <TextField id="place" label={t('staff.book.place')} value={place} onChange={setPlace} width={20} error={errors.find((x) => x.id === 'place')?.message} />
          <button type="submit" className="govuk-button">{t('staff.book.search')}</button>
        </form>
      )}
      {!chosen && answer && (answer.items.length === 0 ? <p className="govuk-body" role="status">{answer.explanation?.message ?? t('staff.book.none')}</p> : answer.items.map(({ clinic, days }) => (
        <section key={clinic.id} className="govuk-!-margin-bottom-4">
          <h2 className="govuk-heading-s">{t('staff.book.chooseDay', { clinic: clinic.name, km: km(clinic.distanceKm) })}</h2>
          <DayList days={days} shown={10} keyOf={(d) => `${d.day}-${d.product.code}`} moreLabel={(count) => t('staff.book.moreDays', { count })} render={(d) => (
            <button type="button" className="govuk-button govuk-button--secondary" onClick={() => void choose(clinic, d)}>
              {shortDay(d.day)}<span className="govuk-visually-hidden"> – {longDay(d.day)}, {clinic.name}, {d.product.name}</span></button>
          )} />
        </section>
      )))}
      {chosen && (
        <form onSubmit={book} noValidate>
          <h2 className="govuk-heading-m">{t('staff.book.times')}</h2>
          <div className="govuk-form-group">
            <label className="govuk-label" htmlFor="time1">{t('staff.book.dose1', { dose })} – {longDay(chosen.day.day)}, {chosen.clinic.name}</label>
            <select className="govuk-select" id="time1" value={pick.first} onChange={(e) => setPick({ ...pick, first: Number(e.target.value) })}>
              {times.first.map((s) => <option key={s.slotId} value={s.slotId}>{time(s.startsAt, tz)}</option>)}
            </select>
          </div>
          {chosen.day.nextDose && (
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="time2">{t('staff.book.dose2', { dose: dose + 1, day: longDay(chosen.day.nextDose.day), clinic: chosen.day.nextDose.clinicName })}</label>
              <select className="govuk-select" id="time2" value={pick.second} onChange={(e) => setPick({ ...pick, second: Number(e.target.value) })}>
                {times.second.map((s) => <option key={s.slotId} value={s.slotId}>{time(s.startsAt, tz)}</option>)}
              </select>
            </div>
          )}
          <button type="submit" className="govuk-button" disabled={!pick.first}>{t('staff.book.confirm')}</button>
        </form>
      )}
    </Page>
  );
}

function Done({ code, appointments, onNext }: { code: string; appointments: Appointment[]; onNext: () => void }) {
  const { t } = useTranslation();
  return (
    <Page title={t('staff.book.booked')}>
      <div className="govuk-panel govuk-panel--confirmation">
        <h2 className="govuk-panel__title">{t('staff.book.code')}</h2>
        <div className="govuk-panel__body"><span className="vb-code" data-testid="staff-confirmation-code">{code}</span></div>
      </div>
      <ul className="govuk-list">
        {appointments.map((a) => <li key={`${a.dose}-${a.slotId}`}>{t('staff.record.dose', { dose: a.dose })}: {longDay(dayIn(a.startsAt, a.clinic.timeZone))} {time(a.startsAt, a.clinic.timeZone)}, {a.clinic.name}</li>)}
      </ul>
      <button type="button" className="govuk-button" onClick={onNext}>{t('staff.record.newSearch')}</button>
    </Page>
  );
}
