/**
 * What the platform's HTTP API answers the staff console and the window terminal
 * (the call display's shapes are in queue-views.ts). Errors come as
 * `{ error: { code, message, detail? } }` with an HTTP status (server/http.ts).
 */
import type { HallConfig } from '../config/schema.ts';
import type { WindowStatus } from './queue-views.ts';
import type { RobotHealth } from './sync.ts';

export type StaffRole = 'admin' | 'hall-manager' | 'window-staff';
export const STAFF_ROLES: readonly StaffRole[] = ['admin', 'hall-manager', 'window-staff'];

/** A staff account as the platform shows it (never its password hash). */
export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
}

/** A row of GET /api/staff (administrators only). */
export interface StaffAccount extends StaffUser {
  disabled: boolean;
  createdAt: string;
}

/** GET /api/staff. */
export interface StaffAnswer {
  users: StaffAccount[];
}

/** PATCH /api/staff/:id: what an administrator changes; a new password or disabling ends the account's sessions. */
export interface StaffPatch {
  role?: StaffRole;
  password?: string;
  disabled?: boolean;
  displayName?: string;
}

/** GET /api/me, POST /api/login. */
export interface SignedIn {
  user: StaffUser;
}

/** The body of every refusal. */
export interface PlatformErrorBody {
  error?: { code?: string; message?: string; detail?: unknown };
}

/** A row of GET /api/enrollment-codes: never the secret part, only its hint. */
export interface EnrollmentCodeRow {
  hint: string;
  kind: string;
  deviceId: string | null;
  usesLeft: number;
  createdAt: string;
  expiresAt: string;
  createdBy: string;
  state: string;
}

export interface EnrollmentCodesAnswer {
  codes: EnrollmentCodeRow[];
}

/** POST /api/enrollment-codes: the code itself, shown once. */
export interface MadeEnrollmentCode {
  code: string;
  expiresAt: string;
}

export interface DeviceHealthRow {
  id: string;
  kind: string;
  state: 'ok' | 'absent' | 'faulty';
  paper?: 'ok' | 'near-end' | 'out';
  detail?: string;
}

export interface DeviceRow {
  id: string;
  kind: string;
  name: string;
  online: boolean;
  revoked: boolean;
  lastSeen: string | null;
  configVersion: number;
  configError: string | null;
  pending: number;
  health: DeviceHealthRow[];
  /** A lobby robot's guide as last reported; null for other terminals. */
  robot: RobotHealth | null;
}

/** GET /api/devices. */
export interface DevicesAnswer {
  currentConfigVersion: number;
  devices: DeviceRow[];
}

/** POST /api/robots/:id/estop | /resume: the robot's guide as it answered. */
export interface RobotCommandAnswer {
  id: string;
  command: 'estop' | 'resume';
  robot: RobotHealth;
}

/** A row of GET /api/robot-commands: every console press, whatever came of it. */
export interface RobotCommandAuditEntry {
  id: string;
  at: string;
  deviceId: string;
  command: 'estop' | 'resume';
  username: string;
  address: string | null;
  /** done: the robot acted and answered; offline: not connected; no-answer: no confirmation in time; refused: it could not act. */
  outcome: 'done' | 'offline' | 'no-answer' | 'refused';
  detail: string | null;
}

/** GET /api/robot-commands. */
export interface RobotCommandsAnswer {
  entries: RobotCommandAuditEntry[];
}

/** One robot's day in the figures (hall days, China Standard Time). */
export interface RobotDayFigures {
  deviceId: string;
  day: string;
  /** Visitors' walks started. */
  guidance: number;
  /** Walks that reached the window or place. */
  arrived: number;
  /** Metres the base drove: walks, ways back and docking. */
  metres: number;
  failures: { blocked: number; aborted: number; linkLost: number; docking: number };
  /** Walks ended because nobody answered the follow check. */
  notFollowed: number;
  /** Emergency stops that cut a drive short. */
  stops: number;
}

/** GET /api/robots/history?from=&to= (hall days, both included; the last 7 by default). */
export interface RobotHistoryAnswer {
  from: string;
  to: string;
  days: RobotDayFigures[];
}

/** One fault of one terminal's device or part, from the state that opened it to the ok that closed it. */
export interface FaultEpisode {
  /** The terminal's device id, or 'central' for the platform's own faults. */
  terminal: string;
  /** The device or part (printer, idcard, central-link, screen, base, outbox, database). */
  device: string;
  kind: string;
  /** When the terminal saw it begin. */
  startedAt: string;
  /** When the terminal recorded it (later than startedAt for an outage only recorded once over). */
  noticedAt: string;
  /** Null while it lasts. */
  recoveredAt: string | null;
  recoverSeconds: number | null;
  /** The state and what the device said (paper out, a driver's message); no personal data. */
  detail: string;
}

/** GET /api/console/faults?from=&to= (hall days, both included; the last 30 by default). */
export interface FaultHistoryAnswer {
  /** Every hall day asked, oldest first: the columns of perDay. */
  days: string[];
  /** Episodes begun on each day, per terminal and device. */
  byDevice: { terminal: string; device: string; kind: string; perDay: number[] }[];
  /** Newest first, at most FAULT_EPISODES_SHOWN. */
  episodes: FaultEpisode[];
}

/** How many episodes one answer lists. */
export const FAULT_EPISODES_SHOWN = 500;

/** GET /api/figures. */
export interface Figures {
  from: string;
  to: string;
  transactions: Record<string, number>;
  tickets: {
    total: number;
    offline: number;
    averageEstimatedWaitMinutes: number | null;
    byGroup: { groupId: string; tickets: number; averageEstimatedWaitMinutes: number | null }[];
  };
  ratings: {
    total: number;
    /** Counts for 非常不满意 (1) … 非常满意 (5). */
    byLevel: number[];
    average: number | null;
    satisfiedShare: number | null;
  };
  followupsOpen: number;
  devices: { enrolled: number; online: number };
}

export interface Followup {
  id: string;
  deviceId: string;
  level: number;
  reasons: string[];
  comment: string | null;
  itemCode: string | null;
  ratedAt: string;
  status: string;
  closedBy: string | null;
  note: string | null;
}

/** GET /api/followups. */
export interface FollowupsAnswer {
  followups: Followup[];
}

export interface ConfigVersionRow {
  version: number;
  createdAt: string;
  createdBy: string | null;
  note: string | null;
  restoredFrom: number | null;
  devices: number;
}

/** GET /api/config/versions. */
export interface ConfigVersionsAnswer {
  current: number;
  versions: ConfigVersionRow[];
}

/** GET /api/config. */
export interface ConfigAnswer {
  version: number;
  config: HallConfig;
}

/** POST /api/config, POST /api/config/restore. */
export interface ConfigSaved {
  version: number;
}

export interface AuthAuditEntry {
  at: string;
  event: 'login-failed' | 'lockout' | 'unlock';
  username: string | null;
  address: string | null;
  actor: string | null;
  detail: string | null;
}

export interface LoginLock {
  account?: string;
  address?: string;
  lockedUntil: string;
  lockouts: number;
}

/** GET /api/auth-audit. */
export interface AuthAuditAnswer {
  entries: AuthAuditEntry[];
  locks: LoginLock[];
}

export interface TransactionRow {
  id: string;
  deviceId: string;
  seq: number;
  type: string;
  at: string;
  receivedAt: string;
  status: string;
  error: string | null;
  payload: Record<string, unknown>;
}

/** GET /api/transactions: newest first, `next` is the cursor for the page after. */
export interface TransactionsAnswer {
  transactions: TransactionRow[];
  next: string | null;
}

/** GET /api/queue/windows: the window terminal's choice of window. */
export interface WindowsAnswer {
  windows: WindowStatus[];
  groups: { id: string; prefix: string; name: string }[];
  recallsBeforeNoShow: number;
}

/** GET/POST /api/queue/windows/:id[/op]. */
export interface WindowAnswer {
  window: WindowStatus;
  /** Set by call-next and recall. */
  call?: { number: string } | null;
}
