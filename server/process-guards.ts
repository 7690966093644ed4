/**
 * The last line of defence of a platform process: a rejection nobody awaited or a throw
 * nobody caught is logged (message and stack, never the values involved) and the process
 * keeps serving. Every handler already catches its own errors; this is for the ones a
 * library or a forgotten promise lets through, which would otherwise end every kiosk's
 * connection and every staff session at once.
 */
export interface GuardLog {
  error(fields: object, message: string): void;
}

let installed = false;

function described(reason: unknown): { message: string; stack?: string } {
  if (reason instanceof Error) return { message: reason.message, stack: reason.stack };
  // A thrown non-error may be data from a request; its type is all that is logged.
  return { message: `a non-error value was thrown (${reason === null ? 'null' : typeof reason})` };
}

/** Installs the handlers once per process, whichever entry point calls first. */
export function installProcessGuards(log: GuardLog): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => {
    log.error({ err: described(reason) }, 'unhandled rejection; the process keeps serving');
  });
  process.on('uncaughtException', (err, origin) => {
    log.error({ err: described(err), origin }, 'uncaught exception; the process keeps serving');
  });
}
