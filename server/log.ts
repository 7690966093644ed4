/**
 * The platform's structured log. Nothing personal goes in: transaction payloads, names
 * and identity numbers are never passed to it, and the redaction list catches the
 * fields that could carry them if someone ever did.
 */
import { pino, type Logger } from 'pino';
import { logDestination } from '../common/log-destination.ts';

export const REDACT_PATHS = [
  'password',
  'secret',
  'token',
  'payload',
  'config',
  '*.password',
  '*.secret',
  '*.token',
  '*.payload',
  '*.name',
  '*.maskedName',
  '*.maskedId',
  '*.idNumber',
  '*.comment',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/**
 * `fileNodeId` names the rolled log file (`central-<id>`): only a node id the operator gave,
 * since a generated one changes at every restart and the files of the node before it would
 * never be pruned.
 */
export function createLogger(level = 'info', nodeId?: string, fileNodeId?: string): Logger {
  return pino(
    {
      level,
      base: { svc: 'xiaojin-central', node: nodeId },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    logDestination(fileNodeId ? `central-${fileNodeId}` : 'central'),
  );
}
