import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { staffApi, type ClinicInfo, type StaffSession } from './staff-api';

/** The clinics this staff member works with, and the one chosen (their own first). */
export function useMyClinics(session: StaffSession) {
  const [clinics, setClinics] = useState<ClinicInfo[]>([]);
  const [clinicId, setClinicId] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    void staffApi<{ items: ClinicInfo[] }>('GET', '/api/v1/staff/clinics').then((r) => {
      if (!r.ok) return;
      setClinics(r.body.items);
      setClinicId((id) => (id && r.body.items.some((c) => c.id === id) ? id : session.staff.clinicIds[0] ?? r.body.items[0]?.id ?? null));
    });
  }, [session, version]);
  return { clinics, clinicId, setClinicId, clinic: clinics.find((c) => c.id === clinicId), reload: () => setVersion((v) => v + 1) };
}

/** A choice of clinic, shown only to those who work with several. */
export function ClinicPicker({ clinics, clinicId, onChange }: { clinics: ClinicInfo[]; clinicId: number | null; onChange: (id: number) => void }) {
  const { t } = useTranslation();
  if (clinics.length < 2) return null;
  return (
    <div className="govuk-form-group">
      <label className="govuk-label" htmlFor="clinic">{t('staff.clinic.which')}</label>
      <select className="govuk-select" id="clinic" value={clinicId ?? ''} onChange={(e) => onChange(Number(e.target.value))}>
        {clinics.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
      </select>
    </div>
  );
}

/** What just happened, announced to screen readers too. */
export function Notice({ text }: { text: string }) {
  if (!text) return null;
  return <div className="govuk-notification-banner" role="status"><div className="govuk-notification-banner__content"><p className="govuk-notification-banner__heading">{text}</p></div></div>;
}
