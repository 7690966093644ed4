/**
 * The touchscreen driver: input reports from a HidReportSource → frames → contacts in
 * screen coordinates, with down / move / up phases per contact id.
 */
import { EventEmitter } from 'node:events';
import type { HidReportSource } from '../hid/transport.ts';
import type { ReportDescriptor } from '../hid/descriptor.ts';
import { TouchFrameAssembler, parseTouchReport, touchLayout, type TouchLayout } from './digitizer.ts';
import { createCalibration, type CalibrationConfig, type Mapper } from './calibration.ts';

export interface TouchPoint {
  id: number;
  x: number;
  y: number;
  phase: 'down' | 'move' | 'up';
}

export interface TouchScreenOptions {
  descriptor: Uint8Array | ReportDescriptor;
  calibration?: CalibrationConfig;
  /** Without calibration, the logical range is scaled to this size (0…1 when omitted). */
  screen?: { width: number; height: number };
}

export interface TouchScreenEvents {
  touch: [points: TouchPoint[]];
  error: [err: Error];
  close: [];
}

export class TouchScreen extends EventEmitter<TouchScreenEvents> {
  readonly layout: TouchLayout;
  private readonly assembler: TouchFrameAssembler;
  private readonly map: Mapper;
  private down = new Set<number>();
  private lastPosition = new Map<number, { x: number; y: number }>();
  private source: HidReportSource | null = null;

  constructor(source: HidReportSource | null, options: TouchScreenOptions) {
    super();
    this.layout = touchLayout(options.descriptor);
    this.assembler = new TouchFrameAssembler(this.layout.slots.length);
    const axisX = this.layout.slots[0].x;
    const axisY = this.layout.slots[0].y;
    if (options.calibration) {
      this.map = createCalibration(options.calibration);
    } else {
      const w = options.screen?.width ?? 1;
      const h = options.screen?.height ?? 1;
      const spanX = axisX.logicalMaximum - axisX.logicalMinimum || 1;
      const spanY = axisY.logicalMaximum - axisY.logicalMinimum || 1;
      this.map = ({ x, y }) => ({ x: ((x - axisX.logicalMinimum) / spanX) * w, y: ((y - axisY.logicalMinimum) / spanY) * h });
    }
    if (source) this.attach(source);
  }

  attach(source: HidReportSource): void {
    this.detach();
    this.source = source;
    source.on('report', this.onReport);
    source.on('error', this.onError);
    source.on('close', this.onClose);
  }

  detach(): void {
    const s = this.source;
    if (!s) return;
    s.off('report', this.onReport);
    s.off('error', this.onError);
    s.off('close', this.onClose);
    this.source = null;
  }

  async close(): Promise<void> {
    const s = this.source;
    this.detach();
    await s?.close();
  }

  /** Processes one report; returns the points emitted, if a frame completed. */
  handleReport(report: Uint8Array): TouchPoint[] | null {
    const parsed = parseTouchReport(this.layout, report);
    if (!parsed) return null;
    const frame = this.assembler.push(parsed);
    if (!frame) return null;
    const points: TouchPoint[] = [];
    const seen = new Set<number>();
    for (const c of frame) {
      const { x, y } = this.map({ x: c.x, y: c.y });
      // Confidence false means a palm or an accidental contact: treat as lifted.
      const active = c.tip && c.confidence !== false;
      if (active) {
        seen.add(c.id);
        this.lastPosition.set(c.id, { x, y });
        points.push({ id: c.id, x, y, phase: this.down.has(c.id) ? 'move' : 'down' });
      } else if (this.down.has(c.id)) {
        points.push({ id: c.id, x, y, phase: 'up' });
      }
    }
    // Contacts that vanished from the frame without a tip-up report.
    for (const id of this.down) {
      if (seen.has(id) || points.some((p) => p.id === id)) continue;
      const at = this.lastPosition.get(id) ?? { x: 0, y: 0 };
      points.push({ id, x: at.x, y: at.y, phase: 'up' });
    }
    for (const id of this.lastPosition.keys()) if (!seen.has(id)) this.lastPosition.delete(id);
    this.down = seen;
    if (points.length > 0) this.emit('touch', points);
    return points;
  }

  private readonly onReport = (report: Uint8Array): void => {
    this.handleReport(report);
  };

  private readonly onError = (err: Error): void => {
    if (this.listenerCount('error') > 0) this.emit('error', err);
  };

  private readonly onClose = (): void => {
    this.emit('close');
  };
}
