/** The benchmark's side of emulator-process.mjs: fork it, wait for its URL, ask it things over IPC. */
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'emulator-process.mjs');
const READY_TIMEOUT_MS = 30_000;

/**
 * @param {object} options EmulatorOptions without functions (operationDurationMs, faults, ...)
 * @returns {Promise<{url: string, pid: number, stats(reset?: boolean): Promise<object>, setFaults(faults?: object): Promise<void>, close(): Promise<object>}>}
 */
export async function startEmulatorProcess(options) {
  const child = fork(SCRIPT, [JSON.stringify(options)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map();
  let nextId = 1;
  let exited = false;
  child.on('message', (message) => {
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    if (message.error) pending.reject(new Error(`emulator: ${message.error}`));
    else pending.resolve(message.result);
  });
  child.on('exit', () => {
    exited = true;
    for (const pending of waiting.values()) pending.reject(new Error('the emulator process exited'));
    waiting.clear();
  });

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the emulator process did not start')), READY_TIMEOUT_MS);
    child.on('message', (message) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve(message.url);
    });
    child.once('exit', (code) => reject(new Error(`the emulator process exited with ${code}`)));
  });

  const ask = (message) =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error('the emulator process exited'));
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      child.send({ ...message, id });
    });

  return {
    url,
    pid: child.pid,
    stats: (reset = false) => ask({ type: 'stats', reset }),
    setFaults: async (faults) => void (await ask({ type: 'faults', faults: faults ?? null })),
    close: async () => {
      const last = await ask({ type: 'close' });
      if (!exited) await new Promise((resolve) => child.once('exit', resolve));
      return last;
    },
  };
}
