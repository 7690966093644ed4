/**
 * The hall's whole configuration, as zod schemas. Kiosks, the robot and the central
 * platform validate with these same schemas, so a staff edit that passes here runs
 * everywhere.
 */
import { z } from 'zod';
import { PriorityKind } from '../protocol/priority.ts';
import { RecordKind } from '../protocol/datashare.ts';
import { Eligibility } from './eligibility-rules.ts';

const id = z.string().min(1).max(64);
const text = z.string().max(20_000);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like 09:00');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-10-01');

/**
 * Hosts a visitor's phone can never reach: this machine (loopback), and the names
 * reserved for documentation and tests (RFC 2606, RFC 6761), which a placeholder
 * configuration carries.
 */
function unreachableFromPhone(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '0.0.0.0' || h === '::' || h === '::1') return true;
  if (/^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\./.test(h)) return true;
  if (/(^|\.)example\.(com|net|org)$/.test(h)) return true;
  return /\.(example|invalid|test)$/.test(h) || ['example', 'invalid', 'test'].includes(h);
}

/** The parsed address, or null where .url() already reports it (zod runs every check). */
const parsedUrl = (u: string): URL | null => (URL.canParse(u) ? new URL(u) : null);

/** An address a visitor's phone opens from a QR code. */
export const PhoneUrl = z
  .string()
  .url('a full address such as https://zwfw.example-city.gov.cn/')
  .refine((u) => !parsedUrl(u) || /^https?:$/.test(parsedUrl(u)!.protocol), 'an http:// or https:// address')
  .refine(
    (u) => !parsedUrl(u) || !unreachableFromPhone(parsedUrl(u)!.hostname),
    'an address visitors\' phones can reach: not localhost, a loopback address or an example/test domain (leave it out to print no QR code)',
  );

// ---------------------------------------------------------------- catalogue

export const TimeLimit = z.object({
  value: z.number().nonnegative(),
  unit: z.enum(['工作日', '自然日', '小时', '即办']),
  text: z.string(),
});
export type TimeLimit = z.infer<typeof TimeLimit>;

export const Material = z.object({
  name: z.string().min(1),
  /** 原件 / 复印件 / 原件及复印件, when the hall knows it. */
  form: z.string().optional(),
  copies: z.number().int().positive().optional(),
  required: z.boolean().default(true),
  note: z.string().optional(),
});
export type Material = z.infer<typeof Material>;

/** A sub-case (情形): the same service under one circumstance, with its own materials. */
export const ServiceCase = z.object({
  code: id,
  name: z.string().min(1),
  fullName: z.string().min(1),
  conditions: text.default(''),
  materials: z.array(Material).default([]),
  legalLimit: TimeLimit.nullable().default(null),
  promisedLimit: TimeLimit.nullable().default(null),
  visits: z.number().int().nonnegative().nullable().default(null),
  /** 收费标准 of this case when it differs from the item's (补领 costs more than 申领). */
  fee: z.string().optional(),
});
export type ServiceCase = z.infer<typeof ServiceCase>;

export const ServiceItem = z.object({
  code: id,
  name: z.string().min(1),
  department: z.string().min(1),
  type: z.string().default('公共服务'),
  level: z.string().optional(),
  themes: z.array(z.string()).default([]),
  audiences: z.array(z.string()).default([]),
  conditions: text.default(''),
  materials: z.array(Material).default([]),
  legalLimit: TimeLimit.nullable().default(null),
  promisedLimit: TimeLimit.nullable().default(null),
  /** 跑动次数: how many times the applicant must come in person. */
  visits: z.number().int().nonnegative().nullable().default(null),
  onlineBooking: z.boolean().default(false),
  courier: z.boolean().default(false),
  consultPhone: z.string().optional(),
  complainPhone: z.string().optional(),
  location: z.string().optional(),
  url: z.string().optional(),
  cases: z.array(ServiceCase).default([]),
  /** Colloquial names visitors use (社保卡 for 社会保障卡). */
  aliases: z.array(z.string()).default([]),
  /** The name in English, for English answers; the robot matches English questions against it and aliasesEn. */
  nameEn: z.string().min(1).optional(),
  /** What an English-speaking visitor calls it (passport, lost my id card). */
  aliasesEn: z.array(z.string().min(1)).optional(),
  source: z.enum(['gd-portal', 'hall']).default('hall'),
  /** 收费标准 as the hall states it; absent when not known (the portal export has none). */
  fee: z.string().optional(),
  /** The hall states the service is free of charge (不收费); a stated fee contradicts it. */
  free: z.boolean().optional(),
  /** Where the hall's own facts (fees, time limits, materials) come from, so staff can audit them. */
  sources: z.array(z.string()).optional(),
});
export type ServiceItem = z.infer<typeof ServiceItem>;

/** A catalogue item as a file holds it: free and a fee cannot both be stated. */
const CheckedServiceItem = ServiceItem.refine((i) => !(i.free && (i.fee || i.cases.some((c) => c.fee))), {
  message: 'an item marked free (不收费) cannot also state a fee; remove one of them',
  path: ['free'],
});

export const Catalogue = z.object({
  version: z.literal(1),
  source: z.string(),
  notice: z.string().optional(),
  items: z.array(CheckedServiceItem),
});
export type Catalogue = z.infer<typeof Catalogue>;

// ---------------------------------------------------------------- hall and map

export const Point = z.object({ x: z.number(), y: z.number() });
export type Point = z.infer<typeof Point>;

export const OpeningHours = z.object({
  /** ISO weekday 1 (Monday) … 7 (Sunday). */
  days: z.array(z.number().int().min(1).max(7)).min(1),
  open: hhmm,
  close: hhmm,
});
export type OpeningHours = z.infer<typeof OpeningHours>;

export const Floor = z.object({
  id,
  name: z.string(),
  level: z.number().int(),
  width: z.number().positive(),
  height: z.number().positive(),
});

export const Zone = z.object({
  id,
  name: z.string(),
  floor: id,
  /** Rectangle on the floor plan, in metres. */
  rect: z.object({ x: z.number(), y: z.number(), w: z.number().positive(), h: z.number().positive() }),
  description: z.string().optional(),
});

export const PlaceKind = z.enum(['reception', 'toilet', 'lift', 'stairs', 'exit', 'entrance', 'waiting', 'kiosk', 'robot-dock', 'other']);

export const Place = z.object({
  id,
  name: z.string(),
  nameEn: z.string().optional(),
  kind: PlaceKind,
  floor: id,
  position: Point,
  aliases: z.array(z.string()).default([]),
});
export type Place = z.infer<typeof Place>;

export const QueueGroup = z.object({
  id,
  /** Ticket prefix, one or two capital letters: A001, B001, … */
  prefix: z.string().regex(/^[A-Z]{1,2}$/),
  name: z.string(),
  nameEn: z.string().optional(),
  /** What visitors call this part of the hall (社保, 公积金, 出入境, housing fund): the robot finds its windows and tickets by them. */
  aliases: z.array(z.string().min(1)).default([]),
  /** Items served, by code; an item may also be matched by its department. */
  items: z.array(id).default([]),
  departments: z.array(z.string()).default([]),
  /** Mean service minutes used for estimates before the hall has its own history. */
  defaultServiceMinutes: z.number().positive().default(8),
});
export type QueueGroup = z.infer<typeof QueueGroup>;

export const ServiceWindow = z.object({
  id: z.string().regex(/^[A-Z]\d{2}$/, 'a window id like B01'),
  name: z.string(),
  zone: id,
  floor: id,
  position: Point,
  groups: z.array(id).min(1),
  /** This window's own hours when they differ from the hall's (a window open only in the morning). */
  openingHours: z.array(OpeningHours).min(1).optional(),
});
export type ServiceWindow = z.infer<typeof ServiceWindow>;

export const Hall = z.object({
  id,
  name: z.string(),
  nameEn: z.string().optional(),
  address: z.string(),
  phone: z.string().optional(),
  openingHours: z.array(OpeningHours).min(1),
  /** Extra closed days beyond the national holidays the calendar already knows. */
  holidays: z.array(isoDate).default([]),
  /**
   * The platform's address as visitors' phones reach it (the hall's Wi-Fi or the
   * Internet): a ticket's QR code opens its follow page there. Absent, tickets carry no QR.
   */
  publicBaseUrl: PhoneUrl.optional(),
  /** Where the phone guide of an item lives (the item code is appended). Absent, guides carry no QR. */
  guideBaseUrl: PhoneUrl.optional(),
  floors: z.array(Floor).min(1),
  zones: z.array(Zone).min(1),
  places: z.array(Place).default([]),
  groups: z.array(QueueGroup).min(1),
  windows: z.array(ServiceWindow).min(1),
});
export type Hall = z.infer<typeof Hall>;

// ---------------------------------------------------------------- kiosk menus

/** Why an item is in a theme: the classification that put it there (config/themes.ts) or a staff correction. */
export const ThemeReason = z.object({
  by: z.enum(['tag', 'department', 'name', 'staff']),
  /** The tag, department or word that matched; a staff correction's note. */
  value: z.string(),
});
export type ThemeReason = z.infer<typeof ThemeReason>;

/** A staff correction of the theme rules: the item leaves `from`, joins `to`, or both (a move). */
export const ThemeCorrection = z
  .object({
    item: id,
    from: id.optional(),
    to: id.optional(),
    note: z.string().max(200).optional(),
    by: z.string().max(64).optional(),
    at: z.string().max(40).optional(),
  })
  .refine((c) => c.from !== undefined || c.to !== undefined, { message: 'a correction names the theme it moves the item from, to, or both' });
export type ThemeCorrection = z.infer<typeof ThemeCorrection>;

export const MenuEntry = z.object({
  id,
  title: z.string(),
  titleEn: z.string().optional(),
  icon: z.string().optional(),
  /** Items by code, in display order. */
  items: z.array(id).default([]),
  /** Kiosk ids that show this entry; empty means all. */
  kiosks: z.array(id).default([]),
  /** Per item code, why a theme lists it (absent on departments and hand-made entries). */
  reasons: z.record(id, ThemeReason).optional(),
});
export type MenuEntry = z.infer<typeof MenuEntry>;

export const Menus = z.object({
  hot: z.array(id).default([]),
  themes: z.array(MenuEntry),
  departments: z.array(MenuEntry),
  /** Staff corrections of the theme rules, applied again whenever themes are rebuilt. */
  corrections: z.array(ThemeCorrection).default([]),
});
export type Menus = z.infer<typeof Menus>;

/** The situation questionnaire (递进式问卷) of one item: a small decision tree over its cases. */
export const QuestionOption = z.object({
  label: z.string(),
  labelEn: z.string().optional(),
  /** Either the next question's id or the case reached. */
  next: id.optional(),
  case: id.optional(),
});
export const Question = z.object({
  id,
  text: z.string(),
  textEn: z.string().optional(),
  options: z.array(QuestionOption).min(2),
});
export const Questionnaire = z.object({
  item: id,
  start: id,
  questions: z.array(Question).min(1),
  /** 条件预判: rules deciding from the answers and the ID card whether the citizen qualifies (config/eligibility.ts). */
  eligibility: Eligibility.optional(),
});
export type Questionnaire = z.infer<typeof Questionnaire>;

// ---------------------------------------------------------------- 一件事 bundles

/** One service of a bundle; `case` fixes the situation when the life event decides it (新生儿入户 of 户口迁入). */
export const BundleItem = z.object({ item: id, case: id.optional() }).strict();
export type BundleItem = z.infer<typeof BundleItem>;

/**
 * A life event served as one visit (一件事一次办): its items, asked about in one
 * questionnaire, one material list, one ticket in `group`, and either one window taking
 * everything (`one-window`, the 综合窗口 in `window`) or the items' own windows in order.
 */
export const Bundle = z
  .object({
    id,
    name: z.string().min(1),
    nameEn: z.string().min(1).optional(),
    /** What visitors call it (开饭店, 生孩子): the robot answers with the bundle by these. */
    aliases: z.array(z.string().min(1)).default([]),
    items: z.array(BundleItem).min(1, 'a bundle names at least one service item'),
    acceptance: z.enum(['one-window', 'in-order']),
    /** The 综合窗口 that accepts the whole bundle; only for one-window acceptance. */
    window: z.string().regex(/^[A-Z]\d{2}$/, 'a window id like B09').optional(),
    /** The queue group the bundle's one ticket is taken in. */
    group: id,
  })
  .strict()
  .refine((b) => b.acceptance !== 'one-window' || b.window !== undefined, {
    message: 'one-window acceptance names its 综合窗口 (a window id like B09)',
    path: ['window'],
  })
  .refine((b) => b.acceptance !== 'in-order' || b.window === undefined, {
    message: 'a window is named only for one-window acceptance; in-order uses each item\'s own windows',
    path: ['window'],
  });
export type Bundle = z.infer<typeof Bundle>;

// ---------------------------------------------------------------- devices and kiosks

export const Calibration = z.object({
  points: z
    .array(z.object({ raw: Point, screen: Point }))
    .length(4, 'four calibration points'),
});

export const DeviceConfig = z.object({
  id,
  kind: z.enum(['idcard', 'printer', 'touch', 'scanner', 'a4printer']),
  /**
   * A serial path (/dev/ttyUSB0, COM3), 'hid' for node-hid devices, or 'sim' for the
   * built-in simulator; an A4 printer's is its IPP URI (ipp://127.0.0.1:631/printers/a4),
   * or 'sim' for the built-in IPP printer simulator.
   */
  port: z.string().min(1),
  baud: z.number().int().positive().optional(),
  pollMs: z.number().int().positive().optional(),
  hid: z.object({ vendorId: z.number().int(), productId: z.number().int() }).optional(),
  calibration: Calibration.optional(),
}).refine((d) => d.kind !== 'a4printer' || d.port === 'sim' || /^(ipps?|https?):\/\/[^/]+\/./.test(d.port), {
  message: 'an A4 printer\'s port is its IPP URI, such as ipp://127.0.0.1:631/printers/a4, or sim',
  path: ['port'],
});
export type DeviceConfig = z.infer<typeof DeviceConfig>;

export const KioskConfig = z.object({
  id,
  name: z.string(),
  kind: z.enum(['kiosk', 'teller', 'robot']),
  floor: id,
  position: Point,
  devices: z.array(DeviceConfig).default([]),
  idleTimeoutSeconds: z.number().int().min(15).default(60),
  idleCountdownSeconds: z.number().int().min(3).default(10),
  /**
   * This terminal's own service hours. Absent: a teller machine serves around the clock
   * (it stands in a bank lobby, not in the hall), a hall kiosk or robot whenever it is on.
   * Tickets still follow the hall's hours: a terminal open at night books, it does not queue.
   */
  serviceHours: z.array(OpeningHours).min(1).optional(),
  /** 查询打印: the government records this terminal offers through the data-sharing gateway; none shows no entry. */
  records: z.array(RecordKind).default([]),
  /**
   * AI 预审's flatbed or SANE scanner: the folder its software saves each scanned page into
   * (for example `scanimage --format=png > <folder>/page.png`). The kiosk reads a page
   * from it when the citizen presses 扫描仪 and deletes the file straight after. Absent: no
   * scanner button, only the document camera.
   */
  scanFolder: z.string().min(1).optional(),
});
export type KioskConfig = z.infer<typeof KioskConfig>;

/** How sure the keyword spotter must be (threshold, lower fires more) and how much it favours the word (boost). */
const Spotting = z.object({
  threshold: z.number().gt(0).lt(1),
  boost: z.number().positive().max(10),
});

/** The robot's ears: what it listens for and how long it waits. */
export const VoiceSettings = z.object({
  /** Phrases that wake the robot; a hall that renames its robot renames these. */
  wakeWords: z.array(z.string().min(1).max(16)).min(1).default(['小今小今']),
  /** Short spoken commands the keyword spotter hears without a recognition model. */
  commandWords: z.array(z.string().min(1).max(16)).default(['取号', '人工服务', '洗手间', '带我去']),
  /** The hall's window names (A01号窗口, read 零一 the way calls are announced) are command words too. */
  windowNames: z.boolean().default(true),
  /**
   * The wake spotter is permissive (with `paths` it searches wider than the command
   * spotter) and each of its candidates is checked by `wakeCheck`; docs/benchmarks.md has
   * the figures behind these numbers.
   */
  wake: Spotting.extend({ paths: z.number().int().min(1).max(64).optional() }).default({ threshold: 0.05, boost: 1.75, paths: 16 }),
  command: Spotting.default({ threshold: 0.15, boost: 1.5 }),
  /**
   * Paths the spotter's search keeps alive (sherpa-onnx max_active_paths). A keyword whose
   * sounds are not the model's first guess is pruned from a narrow search before its
   * score can count (docs/benchmarks.md). Wider finds more wake clips but also wakes on
   * near-misses such as 小琴小琴 at lower thresholds, so the default stays sherpa-onnx's 4.
   */
  spotterPaths: z.number().int().min(1).max(64).default(4),
  /**
   * Second look at a wake candidate: `delayMs` after it, the last `windowMs` of audio decoded
   * afresh by the same model, accepted only if it is nearer the wake phrase than to its neighbours (the phrase
   * with j/q/x, z/c/s, zh/ch/sh swapped, and `nearMisses`, phrases this hall hears that must
   * not wake it) and within `slack` per unit of the phrase.
   */
  wakeCheck: z
    .object({
      enabled: z.boolean().default(true),
      delayMs: z.number().int().min(0).max(1000).default(400),
      windowMs: z.number().int().min(1000).max(5000).default(3000),
      nearMisses: z.array(z.string().min(1).max(16)).default([]),
      slack: z.number().min(0).max(1).default(0.6),
    })
    .strict()
    .default({ enabled: true, delayMs: 400, windowMs: 3000, nearMisses: [], slack: 0.6 }),
  /** After an answer the robot listens this long for a follow-up without the wake word. */
  followUpSeconds: z.number().min(0).max(60).default(6),
  /** Voice activity: quiet needed to decide the visitor has finished, and the start threshold. */
  vadHangMs: z.number().int().min(100).max(5000).default(700),
  /**
   * Without a recognition model, the quiet that ends an utterance once a command word has
   * been heard in it (the command is all the robot acts on); `openCommandWords` need a
   * word after them (带我去 + a window) and keep the full hang.
   */
  commandHangMs: z.number().int().min(100).max(5000).default(350),
  openCommandWords: z.array(z.string().min(1).max(16)).default(['带我去']),
  vadThreshold: z.number().gt(0).lt(1).default(0.5),
  /** Audio is written to disk only when a technician turns this on, and never beyond the cap. */
  capture: z
    .object({ enabled: z.boolean().default(false), maxMegabytes: z.number().positive().max(1024).default(50) })
    .default({ enabled: false, maxMegabytes: 50 }),
});
export type VoiceSettings = z.infer<typeof VoiceSettings>;

const RobotObject = z.object({
  name: z.string().default('小今'),
  voice: VoiceSettings.default(VoiceSettings.parse({})),
  dock: id,
  /** Walking speed used to estimate guide time, metres per second. */
  speed: z.number().positive().default(0.6),
  contextSeconds: z.number().int().positive().default(45),
  /**
   * Where the hall map's origin lies in the base's own map frame (metres) and how far
   * the hall's x axis is turned there (radians, counter-clockwise); absent when the base
   * was mapped in the hall's coordinates.
   */
  mapTransform: z.object({ x: z.number(), y: z.number(), theta: z.number().min(-Math.PI).max(Math.PI) }).strict().optional(),
  /** The robot base's rosbridge endpoint (ws://…); absent when the robot has no base. */
  baseUrl: z.string().regex(/^wss?:\/\//, 'a ws:// or wss:// URL').optional(),
  /**
   * Battery percent under which the robot walks nobody and goes to charge, and the
   * percent at which it leaves the dock for its post again.
   */
  battery: z
    .object({ low: z.number().min(1).max(90).default(20), resume: z.number().min(5).max(100).default(80) })
    .strict()
    .refine((b) => b.resume > b.low, 'resume must be above low')
    .default({ low: 20, resume: 80 }),
  /** Seconds the robot stays at the window before going back to its post. */
  dwellSeconds: z.number().min(0).max(120).default(10),
  /**
   * While leading, the robot stops every `everySeconds` of walking and asks 您还跟着我吗?
   * with a button; nobody tapping within `answerSeconds` ends the walk with an apology and
   * directions, and it goes back to its post.
   */
  followCheck: z
    .object({ enabled: z.boolean().default(true), everySeconds: z.number().min(5).max(600).default(30), answerSeconds: z.number().min(3).max(120).default(15) })
    .strict()
    .default({ enabled: true, everySeconds: 30, answerSeconds: 15 }),
  /** Optional sentence-embedding reranker (ONNX); the engine is complete without it. */
  reranker: z.object({ model: z.string(), vocab: z.string().optional() }).optional(),
});

/** Settings written before the voice section kept the wake words at robot.wakeWords: they move there. */
export const RobotConfig = z.preprocess((raw) => {
  if (!raw || typeof raw !== 'object' || !('wakeWords' in raw)) return raw;
  const { wakeWords, ...rest } = raw as Record<string, unknown> & { voice?: Record<string, unknown> };
  return { ...rest, voice: { wakeWords, ...(rest.voice ?? {}) } };
}, RobotObject);
export type RobotConfig = z.infer<typeof RobotObject>;

/** 绿色通道: who is served first. One rule set, read by the kiosk's priority ticket and the robot's answer. */
export const PriorityRules = z
  .object({
    elderlyAge: z.number().int().min(50).max(90).default(60),
    kinds: z
      .array(PriorityKind)
      .min(1, 'at least one kind of visitor served first')
      .refine((k) => new Set(k).size === k.length, 'each kind once')
      .default(['elderly', 'disabled', 'military', 'pregnant']),
  })
  .strict();
export type PriorityRules = z.infer<typeof PriorityRules>;

export const QueueSettings = z.object({
  /** One priority ticket for every N normal ones when both wait. */
  priorityRatio: z.number().int().min(1).default(3),
  priority: PriorityRules.default({ elderlyAge: 60, kinds: ['elderly', 'disabled', 'military', 'pregnant'] }),
  recallsBeforeNoShow: z.number().int().min(0).default(2),
  announceRepeat: z.number().int().min(1).max(5).default(2),
  /** Numbers a kiosk may issue by itself while cut off from the platform. */
  offlineBlockSize: z.number().int().min(10).default(100),
});

export const AppointmentSettings = z.object({
  daysAhead: z.number().int().min(1).max(60).default(7),
  slots: z.array(z.object({ start: hhmm, end: hhmm })).min(1),
  /** Bookings per slot per item unless an item says otherwise. */
  capacity: z.number().int().min(1).default(4),
  perItem: z.record(z.string(), z.number().int().min(0)).default({}),
});

/** 政务数据共享 queries (server/datashare, docs/datashare.md). */
export const DataShareSettings = z
  .object({
    /**
     * A query must follow an ID-card sign-in on the asking terminal within this many
     * minutes, with nobody signed out or in since: the citizen is at the machine now.
     */
    freshSignInMinutes: z.number().int().min(1).max(60).default(10),
  })
  .strict();
export type DataShareSettings = z.infer<typeof DataShareSettings>;

/** A hall's own question and answer, imported by staff from CSV or XLSX. */
export const FaqEntry = z.object({
  id: id,
  question: z.string().min(1),
  answer: z.string().min(1),
  department: z.string().optional(),
  keywords: z.array(z.string()).default([]),
});
export type FaqEntry = z.infer<typeof FaqEntry>;

/** Words visitors use interchangeably (社保卡 ↔ 社会保障卡), first the canonical one. */
export const SynonymSet = z.array(z.string().min(1)).min(2);

/**
 * What the hall expects of its terminals left alone: once a fault's cause is gone (paper
 * loaded, the cable back, the link or the platform up again), a terminal is back to normal
 * by itself within this many seconds. `xiaojin soak` holds every injected fault to it.
 */
export const UnattendedSettings = z
  .object({
    recoverWithinSeconds: z.number().int().min(10).max(3600).default(60),
  })
  .strict();
export type UnattendedSettings = z.infer<typeof UnattendedSettings>;

export const HallConfig = z.object({
  hall: Hall,
  catalogue: Catalogue,
  menus: Menus,
  questionnaires: z.array(Questionnaire).default([]),
  bundles: z.array(Bundle).default([]),
  kiosks: z.array(KioskConfig).min(1),
  robot: RobotConfig,
  queue: QueueSettings,
  appointments: AppointmentSettings,
  dataShare: DataShareSettings.default({ freshSignInMinutes: 10 }),
  unattended: UnattendedSettings.default({ recoverWithinSeconds: 60 }),
  faq: z.array(FaqEntry).default([]),
  synonyms: z.array(SynonymSet).default([]),
});
export type HallConfig = z.infer<typeof HallConfig>;
