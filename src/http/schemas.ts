import { Type } from 'typebox';

/** Responses every operation can give, by reference to the shared Error schema. */
export const errorResponses = {
  400: Type.Ref('Error'),
  404: Type.Ref('Error'),
  500: Type.Ref('Error'),
};

/** What a clinic offers for access, as clinics record it and searches ask for it. */
export const AccessibilityFeature = Type.Union(['wheelchair', 'accessible_parking', 'hearing_loop', 'quiet_room', 'sign_language'].map((f) => Type.Literal(f)));

/** A product named for programs (pfizer-comirnaty), as search and listProducts take it. */
export const ProductCode = () => Type.String({ description: "The product's code, e.g. pfizer-comirnaty (listProducts)" });
/** A product named for people (Pfizer-BioNTech Comirnaty), in answers shown as they are. */
export const ProductName = () => Type.String({ description: "The product's name for people, e.g. Pfizer-BioNTech Comirnaty" });

/** An appointment's or a slot's time, as the clinic's clock shows it, with the offset that makes it one instant. */
export const ClinicTime = () => Type.String({ format: 'date-time', description: "The clinic's local time with its UTC offset (RFC 3339), e.g. 2026-12-05T09:00:00-05:00" });

/**
 * A success answered with a file (PDF, CSV, text) rather than JSON: the media type is documented on this answer only,
 * since a refusal of the same operation is still a JSON Error.
 */
export const fileResponse = (mediaType: string, description: string, binary = false) =>
  ({ description, content: { [mediaType]: { schema: Type.String(binary ? { format: 'binary' } : {}) } } });

/**
 * At least one character a person can see: not only spaces, nor only invisible ones (zero-width spaces, joiners,
 * Hangul fillers, the blank Braille cell) that would print a name or an address as nothing.
 */
const VISIBLE = '[^\\s\\p{C}\\p{Z}\\u115F\\u1160\\u3164\\uFFA0\\u2800]';
/** A phone number: 7 to 15 digits, with an optional leading + and spaces, dashes or brackets between them. */
const PHONE = '^\\+?[ ()-]*(?:[0-9][ ()-]*){7,15}$';
/** A postal code: letters and digits, spaces or a dash between them. */
const POSTAL_CODE = '^[A-Za-z0-9](?:[A-Za-z0-9 -]*[A-Za-z0-9])?$';

/** What each pattern asks for, said in place of the regular expression when a value does not match it. */
export const PATTERN_MEANINGS: Record<string, { en: string; fr: string }> = {
  [VISIBLE]: { en: 'must not be blank', fr: 'ne doit pas être vide' },
  [PHONE]: { en: 'must be a phone number of 7 to 15 digits', fr: 'doit être un numéro de téléphone de 7 à 15 chiffres' },
  [POSTAL_CODE]: { en: 'must be a postal code (letters and digits)', fr: 'doit être un code postal (lettres et chiffres)' },
};

/** A person's given or family name: up to 100 characters, not blank. */
export const PersonName = () => Type.String({ minLength: 1, maxLength: 100, pattern: VISIBLE });
/** Free text a person must fill in (an address line, a city, a reason): not blank. */
export const VisibleText = (maxLength: number, o: { minLength?: number; description?: string } = {}) =>
  Type.String({ minLength: o.minLength ?? 1, maxLength, pattern: VISIBLE, ...(o.description ? { description: o.description } : {}) });
export const MobileNumber = () => Type.String({ maxLength: 30, pattern: PHONE, description: 'a phone number of 7 to 15 digits, e.g. +1 416 555 0100' });
export const PostalCode = () => Type.String({ minLength: 3, maxLength: 10, pattern: POSTAL_CODE });

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** Ids of the tables keyed by PostgreSQL `integer`: regions, clinics, sessions, invitation and letter batches, staff. */
export const Id = (description?: string) => Type.Integer({ minimum: 1, maximum: 2_147_483_647, ...(description ? { description } : {}) });
/** Ids of the tables keyed by `bigint` (slots, persons, appointments, audit entries, messages), up to the largest exact JSON number. */
export const BigId = (description?: string) => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...(description ? { description } : {}) });

/** The header that makes a repeated state-changing request replay the first one's answer instead of acting again. */
export const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 255 })) });

/** A calendar day, 'YYYY-MM-DD'. */
export const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

const clinicProperties = {
  id: Type.Integer(), code: Type.String(), regionCode: Type.String(), name: Type.String(), kind: Type.String(),
  address: Type.Object({ street: Type.String(), city: Type.String(), postalCode: Type.String() }),
  latitude: Type.Number(), longitude: Type.Number(), phone: Nullable(Type.String()),
  languages: Type.Array(Type.String()), accessibility: Type.Array(Type.String()),
  accessibilityNotes: Nullable(Type.String()), timeZone: Type.String(), status: Type.String(),
  servesOnly: Nullable(Type.Array(Type.String(), { description: 'roll-out cohorts this clinic is restricted to (null: everyone)' })),
};
/** A clinic as every operation shows it (services/reference-service clinicView). */
export const Clinic = Type.Object(clinicProperties, { $id: 'Clinic' });
/** The same, with its distance from the place searched. */
export const ClinicNearby = Type.Object({ ...clinicProperties, distanceKm: Type.Number({ description: 'km, one decimal' }) });
