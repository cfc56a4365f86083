/** The demo product catalogue: 2021–22 guidance (DESIGN.md §3). A deployment configures its own. */
export interface ProductSeed {
  code: string;
  name: string;
  manufacturer: string;
  cvx: string;
  minAgeMonths: number;
  maxAgeMonths: number | null;
  dosesPerVial: number;
  seriesDoses: number;
  intervals: Array<{ minDays: number; recommendedDays: number; maxDays: number | null }>;
  booster: { minDays: number; minAgeMonths: number } | null;
  interchangeableGroup: string | null;
}

const mrnaTwoDose = { minDays: 21, recommendedDays: 56, maxDays: null };

export const DEMO_PRODUCTS: ProductSeed[] = [
  {
    code: 'pfizer-comirnaty', name: 'Pfizer-BioNTech Comirnaty', manufacturer: 'Pfizer-BioNTech', cvx: '208',
    minAgeMonths: 12 * 12, maxAgeMonths: null, dosesPerVial: 6, seriesDoses: 2, intervals: [mrnaTwoDose],
    booster: { minDays: 84, minAgeMonths: 18 * 12 }, interchangeableGroup: 'mrna',
  },
  {
    code: 'pfizer-pediatric', name: 'Pfizer-BioNTech Comirnaty (5–11)', manufacturer: 'Pfizer-BioNTech', cvx: '218',
    minAgeMonths: 5 * 12, maxAgeMonths: 12 * 12, dosesPerVial: 10, seriesDoses: 2, intervals: [mrnaTwoDose],
    booster: null, interchangeableGroup: 'mrna',
  },
  {
    code: 'moderna-spikevax', name: 'Moderna Spikevax', manufacturer: 'Moderna', cvx: '207',
    minAgeMonths: 12 * 12, maxAgeMonths: null, dosesPerVial: 10, seriesDoses: 2,
    intervals: [{ minDays: 28, recommendedDays: 56, maxDays: null }],
    booster: { minDays: 84, minAgeMonths: 18 * 12 }, interchangeableGroup: 'mrna',
  },
  {
    code: 'moderna-pediatric', name: 'Moderna Spikevax (6 months–5 years)', manufacturer: 'Moderna', cvx: '228',
    minAgeMonths: 6, maxAgeMonths: 6 * 12, dosesPerVial: 10, seriesDoses: 2,
    intervals: [{ minDays: 28, recommendedDays: 56, maxDays: null }],
    booster: null, interchangeableGroup: 'mrna',
  },
  {
    code: 'janssen', name: 'Janssen COVID-19 Vaccine', manufacturer: 'Janssen', cvx: '212',
    minAgeMonths: 18 * 12, maxAgeMonths: null, dosesPerVial: 5, seriesDoses: 1, intervals: [],
    booster: null, interchangeableGroup: null,
  },
];
