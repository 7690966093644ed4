/**
 * What every part of the central platform is given: its HTTP app, its socket.io server,
 * its storage, its log and the hall configuration in force. Modules (sync, staff
 * console, queue) each export a `register(ctx)` that adds their routes, events and tables.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { DefaultEventsMap, Server as IoServer, Socket } from 'socket.io';
import type { NodeEvents } from '../protocol/node-events.ts';
import type { StaffRole, StaffUser } from '../protocol/platform-http.ts';
import type { Logger } from 'pino';
import type { Db } from './db/types.ts';
import type { ConfigStore } from '../config/load.ts';
import type { IdKey } from './keys.ts';
import type { RedisLink } from './cluster/redis-link.ts';

/** An enrolled kiosk, teller machine or robot, as authenticated on its socket. */
export interface EnrolledDevice {
  deviceId: string;
  kind: 'kiosk' | 'teller' | 'robot' | 'load';
  hallId: string;
}

/** One kiosk transaction as the platform applies it, exactly once. */
export interface AppliedTransaction {
  id: string;
  deviceId: string;
  seq: number;
  type: string;
  at: string;
  payload: unknown;
}

/** What the handshake leaves on each device socket: the device its credential proved. */
export interface DeviceSocketData {
  device: EnrolledDevice;
}

export type PlatformIo = IoServer<DefaultEventsMap, DefaultEventsMap, NodeEvents, DeviceSocketData>;

export interface ServerContext {
  app: FastifyInstance;
  /** Device and display events are typed where they are handled; what nodes tell each other, here. */
  io: PlatformIo;
  db: Db;
  log: Logger;
  config: ConfigStore;
  /** Identifies this node when several run behind one Redis. */
  nodeId: string;
  /** The hall's ID key, read from its file (server/keys.ts); handed only to devices that book. */
  idKey: IdKey;
  /** The link to the other nodes, when the platform runs as a cluster. */
  redis?: RedisLink;
  /** Route guard: the request must carry a staff session with one of these roles. */
  requireStaff(roles?: StaffRole[]): preHandlerHookHandler;
  /** The staff member behind a request, or null. */
  staffOf(request: FastifyRequest): Promise<StaffUser | null>;
  /** The same for a socket.io handshake, by its cookie or bearer header. */
  staffOfHeaders(headers: IncomingHttpHeaders): Promise<StaffUser | null>;
  /**
   * Handlers run inside the database transaction that records a kiosk transaction of
   * this type, so their effects happen exactly once with it.
   */
  onTransaction(type: string, handler: (tx: AppliedTransaction, db: Db) => Promise<void>): void;
  /** Extra socket events for authenticated kiosks (queue requests and the like). */
  onDeviceSocket(handler: (socket: Socket, device: EnrolledDevice) => void): void;
  /** Called when the platform stops, in reverse order of registration. */
  onClose(fn: () => Promise<void> | void): void;
}

export type ServerModule = (ctx: ServerContext) => Promise<void> | void;
