/**
 * Reading one resource file: the only place besides discovery that touches the file system.
 * It refuses what is not a plain, reasonably small UTF-8 file inside the project directory,
 * so a symbolic link cannot make the tool read (and send) a file from elsewhere.
 *
 * Synchronous on purpose: files are small and read once by a short-lived process, and async
 * reads cost ~0.35 ms each through the thread pool (1,000 files: 166 ms against 50 ms; see
 * BENCHMARKS.md). A FIFO is refused by the stat before any read, so nothing blocks.
 *
 * A file that discovery saw as a plain file (not a link) in a folder inside the project needs
 * no real path: it is opened without following a link (a link put there since is read the long
 * way, and named), and checked on the open file. That is four system calls a file instead of
 * a real path (one per folder of the path) and a stat besides.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { positionIndex, START_OF_FILE, type Position } from './positions.js';

/** Resource files are a few hundred bytes; anything near this is a mistake. */
export const MAX_RESOURCE_FILE_BYTES = 1024 * 1024;

export type ReadResult = { ok: true; text: string } | ({ ok: false; message: string } & Position);

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const SESSION_EXAMPLE = '{ "parameters": { ... } }';

function failure(message: string, position: Position = START_OF_FILE): ReadResult {
  return { ok: false, message, ...position };
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'is a symbolic link whose target does not exist';
  if (code === 'ELOOP') return 'is a symbolic link that loops';
  return `cannot be read (${code ?? 'unknown error'}); check its permissions`;
}

/**
 * `root` is the real path of the project directory; `path` is the file's absolute path;
 * `example` what the file must hold, for the message about an empty one; `plain` that
 * discovery found a file, not a link, in a folder inside the project.
 */
export function readResourceFile(options: { root: string; path: string; example?: string; plain?: boolean }): ReadResult {
  const plain = options.plain ? readPlainFile(options.path) : undefined;
  const bytes = plain ?? readCheckedFile(options.root, options.path);
  if (!(bytes instanceof Uint8Array)) return bytes;
  // The file may have grown between stat and read.
  if (bytes.length > MAX_RESOURCE_FILE_BYTES) return tooLarge(bytes.length);
  return decodeResourceText(bytes, options.example);
}

/** Its bytes, or why not; undefined when it is a link now (or links cannot be refused here). */
function readPlainFile(path: string): Uint8Array | ReadResult | undefined {
  // Windows has no O_NOFOLLOW: there the real path tells.
  if (constants.O_NOFOLLOW === undefined) return undefined;
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO put there since opens at once (and is refused below) instead of waiting for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ELOOP' ? undefined : failure(describeFsError(error));
  }
  try {
    return checkedBytes(fstatSync(fd), () => readFileSync(fd));
  } catch (error) {
    return failure(describeFsError(error));
  } finally {
    closeSync(fd);
  }
}

function readCheckedFile(root: string, path: string): Uint8Array | ReadResult {
  try {
    const real = realpathSync.native(path);
    if (!isInside(root, real)) {
      return failure(
        'is a symbolic link to a file outside the project directory; intuned-gitops reads ' +
          'only files inside it, so copy the file in instead',
      );
    }
    return checkedBytes(statSync(real), () => readFileSync(real));
  } catch (error) {
    return failure(describeFsError(error));
  }
}

function checkedBytes(info: { isFile(): boolean; size: number }, read: () => Uint8Array): Uint8Array | ReadResult {
  if (!info.isFile()) return failure('is not a regular file; a resource file must be a file');
  if (info.size > MAX_RESOURCE_FILE_BYTES) return tooLarge(info.size);
  return read();
}

function tooLarge(size: number): ReadResult {
  const limit = `${MAX_RESOURCE_FILE_BYTES} (${MAX_RESOURCE_FILE_BYTES / (1024 * 1024)} MiB)`;
  return failure(
    `file has ${size} bytes, over the limit of ${limit} for a resource file; keep only the ` +
      'session settings in it',
  );
}

/** One decoder for every file: a decode without `stream` leaves nothing behind for the next. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Strict UTF-8 (a leading BOM is dropped); an empty file is a problem, not an empty object. */
export function decodeResourceText(bytes: Uint8Array, example = SESSION_EXAMPLE): ReadResult {
  const hasBom = UTF8_BOM.every((byte, index) => bytes[index] === byte);
  const content = hasBom ? bytes.subarray(UTF8_BOM.length) : bytes;
  let text: string;
  try {
    text = STRICT_UTF8.decode(content);
  } catch {
    return failure(
      'file is not valid UTF-8 (the first invalid byte is here); save it with UTF-8 encoding',
      invalidUtf8Position(content),
    );
  }
  if (text.trim() === '') {
    return failure(`file is empty; it must hold an object like ${example}`);
  }
  return { ok: true, text };
}

/**
 * Where the first invalid byte is: the longest prefix that decodes (an unfinished sequence at
 * its end is allowed in streaming mode) ends there. Decoding prefixes is monotone, so a
 * binary search finds it in a few passes.
 */
function invalidUtf8Position(bytes: Uint8Array): Position {
  const decodes = (length: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (decodes(middle)) low = middle;
    else high = middle - 1;
  }
  const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, low), { stream: true });
  return positionIndex(prefix)(prefix.length);
}
