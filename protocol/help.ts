/**
 * 一键求助: a citizen at a kiosk, teller machine or robot asks for a member of staff.
 * The request travels as a 'help' transaction through the terminal's durable outbox, so
 * a network blip only delays it, and the platform files it once per help id. Staff see it
 * live on the console and the window terminals (the /staff namespace), with where the
 * terminal stands; their acknowledgement is pushed back to the terminal's device socket.
 * Nothing in it names or identifies the citizen: only the terminal, the time and the screen.
 */
import { z } from 'zod';
import type { HallMap } from './ui/domains/catalogue.ts';

/** The payload of a 'help' transaction. */
export const HelpPayload = z
  .object({
    helpId: z.string().uuid(),
    raisedAt: z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time'),
    /** Which screen the citizen was on (home, ticket …), so staff know what they struggled with. */
    screen: z.string().regex(/^[a-z-]{1,32}$/, 'a screen name such as ticket').optional(),
  })
  .strict();
export type HelpPayload = z.infer<typeof HelpPayload>;

export type HelpStateName = 'open' | 'acknowledged';

/** Where the terminal that asked stands, from the hall's kiosks configuration. */
export interface HelpPlace {
  terminalName: string;
  floor: string | null;
  floorName: string | null;
  position: { x: number; y: number } | null;
}

/** A help request as staff screens show it. */
export interface HelpView {
  id: string;
  deviceId: string;
  place: HelpPlace;
  screen: string | null;
  raisedAt: string;
  state: HelpStateName;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
}

/** GET /api/help: the open requests and today's acknowledged ones, with the hall map to place them. */
export interface HelpListAnswer {
  requests: HelpView[];
  map: Omit<HallMap, 'here'>;
}

/** The staff namespace's events (signed-in staff only). */
export const STAFF_NAMESPACE = '/staff';
export interface StaffEvents {
  'help:changed': (help: HelpView) => void;
}

/** What the platform pushes to the terminal that asked: its request filed, then acknowledged. */
export const HELP_PUSH = 'help:changed';
export const HelpPush = z.object({ helpId: z.string().uuid(), state: z.enum(['open', 'acknowledged']) });
export type HelpPush = z.infer<typeof HelpPush>;
