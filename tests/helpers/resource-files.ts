/** Writing and removing `intuned-resources/auth-sessions/<name>` under a project directory. */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export async function writeResourceFile(dir: string, name: string, body: unknown): Promise<void> {
  const path = join(dir, 'intuned-resources', 'auth-sessions', name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, typeof body === 'string' ? body : JSON.stringify(body, null, 2));
}

export async function removeResourceFile(dir: string, name: string): Promise<void> {
  await rm(join(dir, 'intuned-resources', 'auth-sessions', name));
}
