import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import QRCode from 'qrcode';
import { ADDRESS_WINDOW, invitationCsv, invitationLink, invitationPdf, type InvitationLetterBatch } from './invitation-letters.js';

const batch: InvitationLetterBatch = {
  batchId: 12,
  jurisdictionName: 'Province of Ontario (demo)',
  regionName: 'Toronto Public Health',
  cohortName: { en: 'Adults 80 and over', fr: 'Adultes de 80 ans et plus' },
  // 23:30 in Toronto on March 31 is already April 1 in UTC: the date must follow the time zone.
  expiresAt: new Date('2021-04-01T03:30:00Z'),
  timeZone: 'America/Toronto',
  portalUrl: 'https://vaccine.example.org/',
  codes: [{ code: 'K7QM-3XHP-9T' }, { code: 'B4RT-7ZWN-2C' }, { code: 'Q9DF-HK3M-6V' }],
};

test('invitationLink adds the code as a query parameter that decodes back', () => {
  const link = invitationLink('https://vaccine.example.org/book?lang=fr#start', 'A+B&C #D');
  const url = new URL(link);
  assert.equal(url.searchParams.get('invitation'), 'A+B&C #D');
  assert.equal(url.searchParams.get('lang'), 'fr');
  assert.equal(url.pathname, '/book');
  assert.equal(url.hash, '#start');
  assert.equal(invitationLink('https://vaccine.example.org/', 'K7QM-3XHP-9T'), 'https://vaccine.example.org/?invitation=K7QM-3XHP-9T');
});

test('CSV: exact header, one row per code, dates in the time zone, links', () => {
  const csv = invitationCsv({ ...batch, portalUrl: 'https://vaccine.example.org/?lang=en' });
  assert.ok(!csv.startsWith('\uFEFF'));
  assert.ok(csv.endsWith('\n'));
  const lines = csv.slice(0, -1).split('\n');
  assert.equal(lines.length, batch.codes.length + 1);
  assert.equal(lines[0], 'batch_id,code,region,cohort_en,cohort_fr,expires_on,link');
  batch.codes.forEach(({ code }, i) => {
    const cells = lines[i + 1]!.split(',');
    assert.deepEqual(cells.slice(0, 6), ['12', code, 'Toronto Public Health', 'Adults 80 and over', 'Adultes de 80 ans et plus', '2021-03-31']);
    const link = new URL(cells[6]!);
    assert.equal(link.searchParams.get('invitation'), code);
    assert.equal(link.searchParams.get('lang'), 'en');
    assert.ok(cells[6]!.includes(`invitation=${encodeURIComponent(code)}`));
  });
});

test('CSV: commas and double quotes are quoted, URL-encoded codes in links', () => {
  const csv = invitationCsv({
    ...batch,
    regionName: 'Kingston, Frontenac and "L&A"',
    cohortName: { en: 'Adults 80+, "priority"', fr: 'Adultes de 80 ans et plus' },
    codes: [{ code: 'AB+C/D=E' }],
  });
  assert.equal(
    csv,
    'batch_id,code,region,cohort_en,cohort_fr,expires_on,link\n' +
      '12,AB+C/D=E,"Kingston, Frontenac and ""L&A""","Adults 80+, ""priority""",Adultes de 80 ans et plus,2021-03-31,' +
      'https://vaccine.example.org/?invitation=AB%2BC%2FD%3DE\n',
  );
});

test('CSV: an empty batch is just the header', () => {
  assert.equal(invitationCsv({ ...batch, codes: [] }), 'batch_id,code,region,cohort_en,cohort_fr,expires_on,link\n');
});

// --- Reading pdfkit's uncompressed output back -----------------------------

interface TextRun {
  x: number;
  /** Baseline, measured from the top of the page. */
  y: number;
  size: number;
  text: string;
}

/** pdfkit encodes standard-font text in WinAnsi; these are the non-Latin-1 characters the letters use. */
const WIN_ANSI: Record<number, string> = { 0x92: '’', 0x93: '“', 0x94: '”', 0x96: '–', 0x85: '…' };
function decodeHex(hex: string): string {
  return Array.from(Buffer.from(hex, 'hex'), (b) => WIN_ANSI[b] ?? String.fromCharCode(b)).join('');
}

/** Content streams of the pages, in page order. */
function pageContents(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const pages = [...text.matchAll(/\/Type \/Page\n[^]*?\/Contents (\d+) 0 R/g)];
  return pages.map((m) => {
    const stream = new RegExp(`(?:^|\\n)${m[1]} 0 obj\\n[^]*?stream\\n([^]*?)\\nendstream`).exec(text);
    assert.ok(stream, `content stream ${m[1]} not found`);
    return stream[1]!;
  });
}

function textRuns(content: string): TextRun[] {
  const runs: TextRun[] = [];
  for (const m of content.matchAll(/1 0 0 1 ([\d.-]+) ([\d.-]+) Tm\n\/F\d+ ([\d.]+) Tf\n\[(.*?)\] TJ/g)) {
    const text = [...m[4]!.matchAll(/<([0-9a-f]*)>/g)].map((h) => decodeHex(h[1]!)).join('');
    runs.push({ x: Number(m[1]), y: 792 - Number(m[2]), size: Number(m[3]), text });
  }
  return runs;
}

const pageText = (content: string) =>
  textRuns(content)
    .map((r) => r.text)
    .join(' ')
    .replace(/\s+/g, ' ');

test('PDF: valid file with one page per code, each showing its code, link and letter text', async () => {
  const pdf = await invitationPdf(batch, { compress: false });
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(pdf.toString('latin1').trimEnd().endsWith('%%EOF'));
  assert.equal(pdf.toString('latin1').match(/\/Type \/Page(?!s)/g)?.length, batch.codes.length);

  const pages = pageContents(pdf);
  assert.equal(pages.length, batch.codes.length);
  pages.forEach((content, i) => {
    const code = batch.codes[i]!.code;
    const text = pageText(content);
    // The code as pdfkit writes it: one hex string in a Courier-Bold run.
    assert.ok(content.includes(`[<${Buffer.from(code, 'latin1').toString('hex')}> 0] TJ`), `page ${i + 1} lacks code ${code}`);
    assert.ok(text.includes(invitationLink(batch.portalUrl, code)), `page ${i + 1} lacks its link`);
    for (const other of batch.codes.filter((_, j) => j !== i)) assert.ok(!text.includes(other.code));
    assert.ok(text.includes('Province of Ontario (demo)'));
    assert.ok(text.includes('Toronto Public Health'));
    assert.ok(text.includes('This code can be used once, by one person, until March 31, 2021.'));
    assert.ok(text.includes('Ce code peut être utilisé une seule fois, par une seule personne, jusqu’au 31 mars 2021.'));
    assert.ok(text.indexOf('You are invited') < text.indexOf('Nous vous invitons'), 'English comes first');
  });
});

test('PDF: the default output is compressed and still has one page per code', async () => {
  const pdf = (await invitationPdf(batch)).toString('latin1');
  assert.ok(pdf.includes('/FlateDecode'));
  assert.equal(pdf.match(/\/Type \/Page(?!s)/g)?.length, batch.codes.length);
});

test('PDF: the QR code drawn on each page is the link, at least 110 pt wide', async () => {
  const pdf = await invitationPdf(batch, { compress: false });
  pageContents(pdf).forEach((content, i) => {
    const rects = [...content.matchAll(/^([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re$/gm)].map((m) => m.slice(1, 5).map(Number) as [number, number, number, number]);
    const win = ADDRESS_WINDOW;
    const modules = rects.filter(([x, y, w, h]) => !(x === win.x && y === win.y && w === win.width && h === win.height));
    const expected = QRCode.create(invitationLink(batch.portalUrl, batch.codes[i]!.code), { errorCorrectionLevel: 'M' }).modules;
    const m = modules[0]![3];
    const left = Math.min(...modules.map((r) => r[0]));
    const top = Math.min(...modules.map((r) => r[1]));
    assert.ok(expected.size * m >= 110, 'QR symbol is at least 110 pt wide');
    assert.ok(left - 4 * m >= ADDRESS_WINDOW.x + ADDRESS_WINDOW.width && left + (expected.size + 4) * m <= 612 - 54 + 0.01, 'QR code and quiet zone inside the right margin');
    const drawn = new Set<string>();
    for (const [x, y, w] of modules) {
      const row = Math.round((y - top) / m);
      const col = Math.round((x - left) / m);
      for (let c = 0; c < Math.round(w / m); c++) drawn.add(`${row},${col + c}`);
    }
    let dark = 0;
    for (let row = 0; row < expected.size; row++) {
      for (let col = 0; col < expected.size; col++) {
        if (expected.get(row, col)) dark++;
        assert.equal(drawn.has(`${row},${col}`), expected.get(row, col) === 1, `page ${i + 1} module ${row},${col}`);
      }
    }
    assert.equal(drawn.size, dark, 'no squares outside the symbol');
  });
});

test('PDF: long names wrap without adding pages, leaving the address window empty but for its label', async () => {
  const long = {
    ...batch,
    jurisdictionName: 'Province of Ontario (demonstration environment for the invitation-only soft launch) '.repeat(3),
    regionName: 'Kingston, Frontenac and Lennox & Addington Public Health Unit '.repeat(20),
    cohortName: { en: 'Adults 80 and over, and their essential caregivers '.repeat(4), fr: 'Adultes de 80 ans et plus et leurs aidants essentiels '.repeat(4) },
  };
  const pdf = await invitationPdf(long, { compress: false });
  const pages = pageContents(pdf);
  assert.equal(pdf.toString('latin1').match(/\/Type \/Page(?!s)/g)?.length, long.codes.length);
  for (const content of [...pages, ...pageContents(await invitationPdf(batch, { compress: false }))]) {
    const runs = textRuns(content);
    assert.ok(runs.length > 0);
    const w = ADDRESS_WINDOW;
    const inWindow = runs.filter((r) => r.y + 0.25 * r.size > w.y && r.y - r.size < w.y + w.height && r.x < w.x + w.width);
    assert.deepEqual(
      inWindow.map((r) => r.text),
      ['To the resident / Au résident'],
    );
    for (const r of runs) {
      // Helvetica and Courier rise about 0.7 em above the baseline and drop 0.25 em below it.
      assert.ok(r.x >= 54 && r.y - 0.7 * r.size >= 54 && r.y + 0.25 * r.size <= 792 - 54, `"${r.text}" at ${r.x},${r.y} is outside the margins`);
    }
  }
});

test('PDF: an empty batch is one page saying so', async () => {
  const pdf = await invitationPdf({ ...batch, codes: [] }, { compress: false });
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(pdf.toString('latin1').trimEnd().endsWith('%%EOF'));
  assert.equal(pdf.toString('latin1').match(/\/Type \/Page(?!s)/g)?.length, 1);
  const text = pageText(pageContents(pdf)[0]!);
  assert.ok(text.includes('Batch 12 has no invitation codes.'));
  assert.ok(text.includes('Le lot 12 ne contient aucun code d’invitation.'));
});

const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;

test('PDF: pdftotext finds the code, the French sentence and the dates', { skip: !hasPdftotext && 'pdftotext is not installed' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invitation-letters-'));
  try {
    const file = path.join(dir, 'letters.pdf');
    fs.writeFileSync(file, await invitationPdf(batch));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const { code } of batch.codes) assert.ok(text.includes(code));
    assert.ok(text.includes('Ce code peut être utilisé une seule fois, par une seule personne, jusqu’au 31 mars 2021.'));
    assert.ok(text.includes('until March 31, 2021.'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
