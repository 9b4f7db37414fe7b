/**
 * Word lists and a seeded random generator for `rapport seed --demo`: a small, believable
 * Rolodex in several scripts (family name first for Chinese, Japanese and Korean names).
 * Runtime code: no dev dependency (the benchmarks use faker instead).
 */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Stage } from '../shared/people.ts';

/** mulberry32: the same seed gives the same demo data on every machine. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return {
    next,
    int,
    chance: (probability: number) => next() < probability,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    weighted: <T>(items: readonly (readonly [T, number])[]): T => {
      let roll = next() * items.reduce((sum, [, weight]) => sum + weight, 0);
      for (const [value, weight] of items) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return items.at(-1)![0];
    },
    sample: <T>(items: readonly T[], count: number): T[] => {
      const pool = [...items];
      const out: T[] = [];
      while (out.length < count && pool.length > 0) out.push(pool.splice(int(pool.length), 1)[0]!);
      return out;
    },
  };
}
export type Random = ReturnType<typeof seededRandom>;

/** [name as written, ASCII form for email addresses] */
type Part = readonly [string, string];
export interface NameGroup {
  country: CountryCode;
  weight: number;
  givens: readonly Part[];
  families: readonly Part[];
}

const ascii = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/[^A-Za-z-]/g, '')
    .toLowerCase();
const latin = (names: string[]): Part[] => names.map((name) => [name, ascii(name)]);
const parts = (text: string): Part[] =>
  text.split(' ').map((pair) => {
    const [name, romanized] = pair.split('/');
    return [name!, romanized!];
  });

export const nameGroups: readonly NameGroup[] = [
  {
    country: 'US',
    weight: 30,
    givens: latin(['Olivia', 'Liam', 'Ava', 'Noah', 'Sophia', 'Ethan', 'Zoë', 'Marcus', 'Priya', 'Kwame']),
    families: latin(['Smith', 'Johnson', 'O’Brien', 'Nguyen', 'Okafor', 'Patel', 'Brooks', 'Reyes']),
  },
  {
    country: 'FR',
    weight: 9,
    givens: latin(['Chloé', 'Émile', 'Renée', 'Léa', 'François', 'Maëlle']),
    families: latin(['Dubois', 'Lefèvre', 'Moreau', 'Girard', 'Rousseau', 'Bérénger']),
  },
  {
    country: 'DE',
    weight: 7,
    givens: latin(['Jürgen', 'Anja', 'Björn', 'Käthe', 'Lukas']),
    families: latin(['Müller', 'Schröder', 'Weiß', 'Köhler', 'Brandt']),
  },
  {
    country: 'ES',
    weight: 7,
    givens: latin(['José', 'Lucía', 'Mateo', 'Begoña', 'Iñaki']),
    families: latin(['García', 'Núñez', 'Fernández', 'Peña', 'Ibáñez']),
  },
  {
    country: 'PL',
    weight: 4,
    givens: latin(['Łukasz', 'Zofia', 'Paweł', 'Agnieszka']),
    families: latin(['Nowak', 'Wójcik', 'Kamińska', 'Dąbrowska']),
  },
  {
    country: 'JP',
    weight: 7,
    givens: parts('陽菜/hina 蓮/ren 結衣/yui 大翔/hiroto さくら/sakura 健太/kenta'),
    families: parts('佐藤/sato 鈴木/suzuki 高橋/takahashi 田中/tanaka 渡辺/watanabe 伊藤/ito'),
  },
  {
    country: 'CN',
    weight: 7,
    givens: parts('伟/wei 芳/fang 娜/na 敏/min 静/jing 磊/lei'),
    families: parts('王/wang 李/li 张/zhang 刘/liu 陈/chen 杨/yang'),
  },
  {
    country: 'KR',
    weight: 5,
    givens: parts('민준/minjun 서연/seoyeon 지우/jiwoo 하윤/hayoon 도윤/doyoon'),
    families: parts('김/kim 이/lee 박/park 최/choi 정/jung'),
  },
  {
    country: 'AE',
    weight: 6,
    givens: parts('محمد/mohammed فاطمة/fatima أحمد/ahmed ليلى/layla يوسف/youssef'),
    families: parts('الحسن/alhassan العلي/alali منصور/mansour حداد/haddad الخطيب/alkhatib'),
  },
  {
    country: 'IL',
    weight: 5,
    givens: parts('נועה/noa דוד/david מאיה/maya יונתן/yonatan שירה/shira'),
    families: parts('כהן/cohen לוי/levi מזרחי/mizrahi פרץ/peretz ביטון/biton'),
  },
  {
    country: 'UA',
    weight: 6,
    givens: parts('Анна/anna Дмитро/dmytro Ольга/olha Сергій/serhii Марія/mariia'),
    families: parts(
      'Коваленко/kovalenko Шевченко/shevchenko Бондаренко/bondarenko Мельник/melnyk Ткаченко/tkachenko',
    ),
  },
  {
    country: 'GR',
    weight: 4,
    givens: parts('Γιώργος/giorgos Ελένη/eleni Νίκος/nikos Μαρία/maria'),
    families: parts('Νικολάου/nikolaou Γεωργίου/georgiou Οικονόμου/oikonomou Αθανασίου/athanasiou'),
  },
];

/** [name, domain, industry, country] */
export const demoOrganizations: readonly (readonly [string, string, string, string])[] = [
  ['Northwind Traders', 'northwind.example', 'Retail', 'United States'],
  ['Contoso Health', 'contoso-health.example', 'Healthcare', 'United States'],
  ['Blue Heron Analytics', 'blueheron.example', 'Software', 'United States'],
  ['Lakeside Logistics', 'lakeside-logistics.example', 'Logistics', 'Canada'],
  ['Maple & Pine Bakery', 'mapleandpine.example', 'Hospitality', 'Canada'],
  ['Atelier Lumière', 'atelier-lumiere.example', 'Design', 'France'],
  ['Vignobles Bérénger', 'berenger-vins.example', 'Agriculture', 'France'],
  ['Müller & Söhne GmbH', 'mueller-soehne.example', 'Manufacturing', 'Germany'],
  ['Rheinwerk Energie', 'rheinwerk.example', 'Energy', 'Germany'],
  ['Café Núñez', 'cafenunez.example', 'Hospitality', 'Spain'],
  ['Ibáñez Arquitectos', 'ibanez-arq.example', 'Architecture', 'Spain'],
  ['Wisła Software', 'wisla.example', 'Software', 'Poland'],
  ['株式会社さくら技研', 'sakura-giken.example', 'Manufacturing', 'Japan'],
  ['東京デザイン室', 'tokyo-design.example', 'Design', 'Japan'],
  ['北京星辰科技', 'xingchen.example', 'Software', 'China'],
  ['上海丝路贸易', 'silkroad-trade.example', 'Retail', 'China'],
  ['한빛 물산', 'hanbit.example', 'Logistics', 'South Korea'],
  ['مجموعة النور', 'alnoor-group.example', 'Finance', 'United Arab Emirates'],
  ['دار الخطيب للنشر', 'alkhatib-press.example', 'Media', 'United Arab Emirates'],
  ['אור טכנולוגיות', 'or-tech.example', 'Software', 'Israel'],
  ['Київ Агро', 'kyiv-agro.example', 'Agriculture', 'Ukraine'],
  ['Σπύρου Ναυτιλιακή', 'spyrou-shipping.example', 'Logistics', 'Greece'],
  ['Acme Robotics', 'acme-robotics.example', 'Manufacturing', 'United States'],
  ['Globex Consulting', 'globex.example', 'Consulting', 'United States'],
  ['Initech', 'initech.example', 'Software', 'United States'],
  ['Umbrella Learning', 'umbrella-learning.example', 'Education', 'United Kingdom'],
  ['Stark Fabrication', 'stark-fab.example', 'Manufacturing', 'United States'],
  ['Wayne Foundation', 'wayne-foundation.example', 'Non-profit', 'United States'],
  ['Hooli', 'hooli.example', 'Software', 'United States'],
  ['Pied Piper', 'piedpiper.example', 'Software', 'United States'],
  ['Oceanic Airlines', 'oceanic.example', 'Travel', 'Australia'],
  ['Soylent Foods', 'soylent-foods.example', 'Food', 'United States'],
  ['Cyberdyne Systems', 'cyberdyne.example', 'Software', 'United States'],
  ['Tyrell Biotech', 'tyrell.example', 'Healthcare', 'United States'],
  ['Gringotts Capital', 'gringotts.example', 'Finance', 'United Kingdom'],
  ['Monarch Media', 'monarch-media.example', 'Media', 'United States'],
  ['Greenleaf Co-op', 'greenleaf.example', 'Agriculture', 'New Zealand'],
  ['Aurora Clinics', 'aurora-clinics.example', 'Healthcare', 'Norway'],
  ['Helios Solar', 'helios-solar.example', 'Energy', 'Portugal'],
  ['Quill & Ink Press', 'quillink.example', 'Media', 'Ireland'],
];

export const demoTags = [
  'vip',
  'newsletter',
  'conference-2026',
  'referral',
  'enterprise',
  'smb',
  'beta-tester',
  'churn-risk',
  'decision-maker',
  'champion',
  'speaker',
  'podcast-guest',
];
export const demoStages: readonly (readonly [Stage, number])[] = [
  ['prospect', 40],
  ['customer', 30],
  ['former_customer', 7],
  ['influencer', 9],
  ['advocate', 7],
  ['partner', 4],
  ['other', 3],
];
export const jobTitles = [
  'CEO',
  'CTO',
  'Head of Operations',
  'Procurement Manager',
  'Marketing Director',
  'Account Executive',
  'Office Manager',
  'Software Engineer',
  'Founder',
  'Journalist',
  'Consultant',
  'Buyer',
];
export const sources = ['Referral', 'Website', 'Trade fair', 'LinkedIn', 'Webinar', 'Newsletter sign-up'];
export const noteTemplates = [
  'Met at the spring trade fair. Interested in the annual plan.',
  'Prefers **email** over calls. Decides with the finance team.',
  'Writes a popular newsletter; happy to mention us when we ship the new release.',
  'Asked for a quote for 40 seats. Follow up after their budget meeting.',
  'Long-time customer; knows everyone in the regional retail scene.',
];
export const summaries = {
  call: ['Intro call', 'Pricing questions', 'Renewal check-in', 'Follow-up on the quote'],
  meeting: ['Product demo', 'Quarterly review', 'Lunch at their office', 'Workshop'],
  email: ['Sent the proposal', 'Answered a support question', 'Shared the case study'],
  message: ['Quick question about invoices', 'Congratulated them on the launch'],
} as const;

/** A valid mobile number of the country, written as people type it (national for the US). */
export function demoPhone(random: Random, country: CountryCode): string | null {
  const samples: Partial<Record<CountryCode, string>> = {
    US: '2015550123',
    FR: '0612345678',
    DE: '015123456789',
    ES: '612345678',
    PL: '512345678',
    JP: '09012345678',
    CN: '13123456789',
    KR: '01020001234',
    AE: '0501234567',
    IL: '0502345678',
    UA: '0501234567',
    GR: '6912345678',
  };
  const sample = samples[country];
  if (!sample) return null;
  for (let attempt = 0; attempt < 10; attempt++) {
    const digits = sample.slice(0, -4) + String(random.int(10_000)).padStart(4, '0');
    const parsed = parsePhoneNumberFromString(digits, country);
    if (parsed?.isValid()) return country === 'US' ? parsed.formatNational() : parsed.formatInternational();
  }
  return null;
}
