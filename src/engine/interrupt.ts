/**
 * An interrupted apply (SIGINT, SIGTERM) starts nothing more and stops waiting: what it started
 * is in the state already, and the next run picks it up. A request already sent gets a moment
 * to answer, so its operation ID is recorded rather than left unknown.
 */
import { InterruptedError } from '../errors.js';

/** After an interrupt, how long a start already sent may take to answer before the run stops waiting for it. */
export const INTERRUPT_ANSWER_MS = 2_000;

/**
 * The work's own outcome; once `signal` is aborted, and `graceMs` later, an InterruptedError
 * instead. The work itself goes on unheard (its failure too).
 */
export function unlessInterrupted<T>(work: Promise<T>, signal: AbortSignal | undefined, graceMs = 0): Promise<T> {
  if (!signal) return work;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const interrupted = new Promise<never>((_, reject) => {
    const stop = () => reject(new InterruptedError('interrupted'));
    onAbort = () => {
      timer = setTimeout(stop, graceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  work.catch(() => {});
  interrupted.catch(() => {});
  return Promise.race([work, interrupted]).finally(() => {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  });
}

export function isInterrupted(error: unknown): boolean {
  return error instanceof InterruptedError;
}
