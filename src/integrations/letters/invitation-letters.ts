/**
 * Invitation letters for an invitation-only soft launch: a batch of
 * single-use codes exported as a CSV for the print house's mail merge and as
 * a printable PDF with one bilingual letter per code.
 */
import { stringify } from 'csv-stringify/sync';
export { ADDRESS_WINDOW } from './letter-layout.js';
import { ADDRESS_WINDOW, BODY_TOP, BOTTOM, CONTENT_WIDTH, PAGE, drawFooter, drawQr, fitText, newLetterDocument } from './letter-layout.js';

export interface InvitationLetterBatch {
  batchId: number;
  jurisdictionName: string;
  regionName: string;
  cohortName: { en: string; fr: string };
  expiresAt: Date;
  timeZone: string;
  portalUrl: string;
  codes: Array<{ code: string }>;
}

/** The portal link for one code; keeps any query the portal URL already has. */
export function invitationLink(portalUrl: string, code: string): string {
  const url = new URL(portalUrl);
  url.searchParams.set('invitation', code);
  return url.toString();
}

/** The expiry date (not instant) as YYYY-MM-DD in the batch's time zone. */
function isoDate(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

function longDate(locale: 'en-CA' | 'fr-CA', date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'long' }).format(date);
}

export function invitationCsv(batch: InvitationLetterBatch): string {
  const expiresOn = isoDate(batch.expiresAt, batch.timeZone);
  const rows = batch.codes.map(({ code }) => ({
    batch_id: batch.batchId,
    code,
    region: batch.regionName,
    cohort_en: batch.cohortName.en,
    cohort_fr: batch.cohortName.fr,
    expires_on: expiresOn,
    link: invitationLink(batch.portalUrl, code),
  }));
  // Explicit columns so the header is written even for an empty batch.
  return stringify(rows, {
    header: true,
    columns: ['batch_id', 'code', 'region', 'cohort_en', 'cohort_fr', 'expires_on', 'link'],
    record_delimiter: 'unix',
  });
}

function drawHeader(doc: PDFKit.PDFDocument, batch: InvitationLetterBatch): void {
  // Both lines must stay above the address window.
  fitText(doc, batch.jurisdictionName, { x: PAGE.margin, y: PAGE.margin, width: CONTENT_WIDTH, height: 44 }, 'Helvetica-Bold', 18);
  fitText(doc, batch.regionName, { x: PAGE.margin, y: PAGE.margin + 48, width: CONTENT_WIDTH, height: ADDRESS_WINDOW.y - PAGE.margin - 56 }, 'Helvetica', 12);
}

function drawAddressWindow(doc: PDFKit.PDFDocument): void {
  const w = ADDRESS_WINDOW;
  doc.save().lineWidth(0.5).strokeColor('#999999').rect(w.x, w.y, w.width, w.height).stroke().restore();
  // The label doubles as the addressee line; the print house adds the address below it.
  fitText(doc, 'To the resident / Au résident', { x: w.x + 8, y: w.y + 8, width: w.width - 16, height: 12 }, 'Helvetica', 9);
}

function drawLetter(doc: PDFKit.PDFDocument, batch: InvitationLetterBatch, code: string, index: number): void {
  const link = invitationLink(batch.portalUrl, code);
  const dateEn = longDate('en-CA', batch.expiresAt, batch.timeZone);
  const dateFr = longDate('fr-CA', batch.expiresAt, batch.timeZone);
  drawHeader(doc, batch);
  drawAddressWindow(doc);

  // Code, link and QR code side by side, right below the window.
  const qrSize = drawQr(doc, link, PAGE.width - PAGE.margin, BODY_TOP);
  const left = { x: PAGE.margin, width: CONTENT_WIDTH - qrSize - 12 };
  let y = fitText(doc, 'Your invitation code / Votre code d’invitation', { ...left, y: BODY_TOP + 12, height: 14 }, 'Helvetica-Bold', 10);
  y = fitText(doc, code, { ...left, y: y + 4, height: 36 }, 'Courier-Bold', 28);
  y = fitText(doc, 'Book online / Réservez en ligne\u00a0:', { ...left, y: y + 10, height: 14 }, 'Helvetica', 10);
  fitText(doc, link, { ...left, y: y + 2, height: 40 }, 'Helvetica', 10, { link });

  // English first, then French, each in half of the remaining space.
  const top = BODY_TOP + Math.max(qrSize, 130) + 12;
  const half = (BOTTOM - 20 - top - 12) / 2;
  const cohort = `${batch.cohortName.en} (${batch.regionName})`;
  const en =
    `You are invited to book your COVID-19 vaccination. This invitation is for the following group: ${cohort}. ` +
    'To book, go to the address above or scan the QR code, and enter your invitation code when asked. ' +
    `This code can be used once, by one person, until ${dateEn}.`;
  // French typography: non-breaking spaces before colons and inside guillemets.
  const cohortFr = `${batch.cohortName.fr} (${batch.regionName})`;
  const fr =
    `Nous vous invitons à prendre rendez-vous pour recevoir votre vaccin contre la COVID-19. Cette invitation s’adresse au groupe suivant\u00a0: ${cohortFr}. ` +
    'Pour prendre rendez-vous, allez à l’adresse ci-dessus ou balayez le code QR, puis entrez votre code d’invitation lorsqu’on vous le demande. ' +
    `Ce code peut être utilisé une seule fois, par une seule personne, jusqu’au ${dateFr}.`;
  const sections: Array<[string, string]> = [
    ['Invitation to book your COVID-19 vaccination', en],
    ['Invitation à prendre rendez-vous pour la vaccination contre la COVID-19', fr],
  ];
  sections.forEach(([heading, paragraph], i) => {
    const sectionTop = top + i * (half + 12);
    const afterHeading = fitText(doc, heading, { x: PAGE.margin, y: sectionTop, width: CONTENT_WIDTH, height: 34 }, 'Helvetica-Bold', 13);
    const bodyY = afterHeading + 6;
    fitText(doc, paragraph, { x: PAGE.margin, y: bodyY, width: CONTENT_WIDTH, height: sectionTop + half - bodyY }, 'Helvetica', 11, { lineGap: 2 });
  });

  drawFooter(doc, `Batch / Lot ${batch.batchId} · ${index + 1} / ${batch.codes.length}`);
}

function drawEmptyBatch(doc: PDFKit.PDFDocument, batch: InvitationLetterBatch): void {
  drawHeader(doc, batch);
  const text = `Batch ${batch.batchId} has no invitation codes.\nLe lot ${batch.batchId} ne contient aucun code d’invitation.`;
  fitText(doc, text, { x: PAGE.margin, y: ADDRESS_WINDOW.y, width: CONTENT_WIDTH, height: 60 }, 'Helvetica', 12);
}

/** One Letter page per code; `compress: false` leaves content streams readable for tests. */
export function invitationPdf(batch: InvitationLetterBatch, options: { compress?: boolean } = {}): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const doc = newLetterDocument(`Invitation letters – batch ${batch.batchId} – ${batch.regionName}`, batch.jurisdictionName, options, resolve, reject);
    if (batch.codes.length === 0) {
      doc.addPage();
      drawEmptyBatch(doc, batch);
    }
    batch.codes.forEach(({ code }, i) => {
      doc.addPage();
      drawLetter(doc, batch, code, i);
    });
    doc.end();
  });
}
