/**
 * Printed letters for people with neither e-mail nor mobile: one PDF per
 * region and batch, one letter a page, the name and address placed in the
 * envelope window, the message in the person's language with its code and a
 * QR code of the link; and the CSV manifest the print house checks it against.
 */
import { stringify } from 'csv-stringify/sync';
import { ADDRESS_WINDOW, BODY_TOP, BOTTOM, CONTENT_WIDTH, PAGE, drawFooter, drawQr, fitText, newLetterDocument } from './letter-layout.js';

export interface Letter {
  messageId: number;
  kind: string;
  language: 'en' | 'fr';
  name: string;
  addressLine: string;
  city: string;
  postalCode: string;
  code: string;
  link: string;
  subject: string;
  /** Paragraphs after the greeting. */
  paragraphs: string[];
  greeting: string;
}

export interface LetterBatch {
  batchId: number;
  jurisdictionName: string;
  regionName: string;
  createdAt: Date;
  letters: Letter[];
}

function drawLetter(doc: PDFKit.PDFDocument, batch: LetterBatch, letter: Letter, index: number): void {
  fitText(doc, batch.jurisdictionName, { x: PAGE.margin, y: PAGE.margin, width: CONTENT_WIDTH, height: 44 }, 'Helvetica-Bold', 18);
  fitText(doc, batch.regionName, { x: PAGE.margin, y: PAGE.margin + 48, width: CONTENT_WIDTH, height: ADDRESS_WINDOW.y - PAGE.margin - 56 }, 'Helvetica', 12);
  // The address block, inside the window with a margin so it shows whatever the paper's play in the envelope.
  const w = ADDRESS_WINDOW;
  const block = [letter.name, letter.addressLine, `${letter.city}  ${letter.postalCode}`].join('\n');
  fitText(doc, block, { x: w.x + 8, y: w.y + 8, width: w.width - 16, height: w.height - 16 }, 'Helvetica', 11, { lineGap: 1 });

  const qr = drawQr(doc, letter.link, PAGE.width - PAGE.margin, BODY_TOP);
  const left = { x: PAGE.margin, width: CONTENT_WIDTH - qr - 12 };
  let y = fitText(doc, letter.subject, { ...left, y: BODY_TOP + 12, height: 34 }, 'Helvetica-Bold', 14);
  y = fitText(doc, letter.code, { ...left, y: y + 6, height: 34 }, 'Courier-Bold', 24);
  fitText(doc, letter.link, { ...left, y: y + 6, height: 30 }, 'Helvetica', 10, { link: letter.link });

  const top = BODY_TOP + Math.max(qr, 130) + 12;
  const body = [letter.greeting, ...letter.paragraphs].join('\n\n');
  fitText(doc, body, { x: PAGE.margin, y: top, width: CONTENT_WIDTH, height: BOTTOM - 24 - top }, 'Helvetica', 11, { lineGap: 2 });
  drawFooter(doc, `Batch / Lot ${batch.batchId} · ${index + 1} / ${batch.letters.length} · #${letter.messageId}`);
}

export function lettersPdf(batch: LetterBatch, options: { compress?: boolean } = {}): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const doc = newLetterDocument(`Letters – batch ${batch.batchId} – ${batch.regionName}`, batch.jurisdictionName, options, resolve, reject);
    batch.letters.forEach((letter, i) => {
      doc.addPage();
      drawLetter(doc, batch, letter, i);
    });
    doc.end();
  });
}

/** One row per page, in page order, so the print house can check the count and the addresses. */
export function lettersManifest(batch: LetterBatch): string {
  return stringify(batch.letters.map((l, i) => ({
    batch_id: batch.batchId, page: i + 1, message_id: l.messageId, kind: l.kind, language: l.language,
    name: l.name, address_line: l.addressLine, city: l.city, postal_code: l.postalCode, code: l.code,
  })), {
    header: true, record_delimiter: 'unix',
    columns: ['batch_id', 'page', 'message_id', 'kind', 'language', 'name', 'address_line', 'city', 'postal_code', 'code'],
  });
}
