/** Create requests the emulator received per session ID, whatever it answered (a refused second create counts). */
import type { EmulatorHandle } from '../../src/emulator/index.js';

export function createRequests(emulator: Pick<EmulatorHandle, 'requests'>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of emulator.requests) {
    if (request.method !== 'POST' || !request.path.endsWith('/auth-sessions/create')) continue;
    const id = (request.body as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string') counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}
