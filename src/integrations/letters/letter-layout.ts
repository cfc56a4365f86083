/**
 * The page of a printed letter (pdfkit): Letter size, the address where a #10
 * windowed envelope shows it, text that shrinks to fit its box so one letter
 * stays one page, and a vector QR code.
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

// Layout, in points on a Letter page (612 × 792), origin at the top left.
export const PAGE = { width: 612, height: 792, margin: 54 };
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
export const BOTTOM = PAGE.height - PAGE.margin;
/** #10 windowed envelope: 7/8 in from the left, 2 in from the top, 4.5 × 1.125 in. */
export const ADDRESS_WINDOW = { x: 63, y: 144, width: 324, height: 81 } as const;
export const BODY_TOP = ADDRESS_WINDOW.y + ADDRESS_WINDOW.height + 18;
/** Width of the QR symbol itself, without its quiet zone. */
const QR_SYMBOL_WIDTH = 120;
const QR_QUIET_MODULES = 4;

type Font = 'Helvetica' | 'Helvetica-Bold' | 'Courier-Bold';
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Writes text inside a box, shrinking the type until it fits. The height
 * option also stops pdfkit from flowing onto a new page, which would break the
 * one-letter-per-page rule; at the smallest size the text is cut with an ellipsis.
 */
export function fitText(doc: PDFKit.PDFDocument, text: string, box: Box, font: Font, maxSize: number, options: PDFKit.Mixins.TextOptions = {}): number {
  const minSize = Math.min(7, maxSize);
  const opts: PDFKit.Mixins.TextOptions = { width: box.width, ...options };
  let size = maxSize;
  doc.font(font);
  while (size > minSize && doc.fontSize(size).heightOfString(text, opts) > box.height) size -= 0.5;
  doc.fontSize(size).text(text, box.x, box.y, { ...opts, height: box.height, ellipsis: true });
  return Math.min(doc.y, box.y + box.height);
}

/** Draws the QR code as vector squares (one rectangle per horizontal run of dark modules). Returns its outer size. */
export function drawQr(doc: PDFKit.PDFDocument, text: string, right: number, top: number): number {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const m = QR_SYMBOL_WIDTH / n;
  const outer = (n + 2 * QR_QUIET_MODULES) * m;
  // The quiet zone is left as blank paper around the symbol.
  const x0 = right - outer + QR_QUIET_MODULES * m;
  const y0 = top + QR_QUIET_MODULES * m;
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (!modules.get(row, col)) continue;
      let end = col;
      while (end + 1 < n && modules.get(row, end + 1)) end++;
      doc.rect(x0 + col * m, y0 + row * m, (end - col + 1) * m, m);
      col = end;
    }
  }
  doc.fillColor('black').fill();
  return outer;
}

export function drawFooter(doc: PDFKit.PDFDocument, text: string): void {
  doc.fillColor('#555555');
  fitText(doc, text, { x: PAGE.margin, y: BOTTOM - 12, width: CONTENT_WIDTH, height: 12 }, 'Helvetica', 8, { align: 'center' });
  doc.fillColor('black');
}

/** A document for letters, collected into a Buffer; `compress: false` leaves content streams readable for tests. */
export function newLetterDocument(title: string, author: string, options: { compress?: boolean }, resolve: (b: Buffer) => void, reject: (e: unknown) => void): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: PAGE.margin,
    autoFirstPage: false,
    compress: options.compress ?? true,
    info: { Title: title, Author: author },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  doc.on('end', () => resolve(Buffer.concat(chunks)));
  doc.on('error', reject);
  return doc;
}
