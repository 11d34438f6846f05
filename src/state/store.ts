/**
 * The state in memory during an apply, with checkpoints that many operations can wait on at
 * once. A thousand operations starting together cost a handful of writes, not a thousand: a
 * flush requested while a write is under way is served by the next write, which carries every
 * change made until it begins.
 */
import type { JobRecords, JobState, SessionState, StateBackend, StateDocument } from './types.js';
import { putSession, removeSession, sessionOf, sessionRecords } from './sessions.js';

export class StateStore {
  private writing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private writes = 0;
  /** Changes made since the last write began. */
  private dirty = false;

  constructor(
    private readonly backend: StateBackend,
    readonly document: StateDocument,
  ) {}

  get writeCount(): number {
    return this.writes;
  }

  session(id: string): SessionState | undefined {
    return sessionOf(this.document.sessions, id);
  }

  /** Changes one session's record in memory; `flush()` makes it durable. */
  update(id: string, change: (session: SessionState) => SessionState): void {
    putSession(this.document.sessions, id, change({ ...(sessionOf(this.document.sessions, id) ?? {}) }));
    this.dirty = true;
  }

  forget(id: string): void {
    removeSession(this.document.sessions, id);
    this.dirty = true;
  }

  job(id: string): JobState | undefined {
    return sessionOf(this.jobs(), id);
  }

  updateJob(id: string, change: (job: JobState) => JobState): void {
    const jobs = this.jobs();
    putSession(jobs, id, change({ ...(sessionOf(jobs, id) ?? {}) }));
    this.dirty = true;
  }

  forgetJob(id: string): void {
    removeSession(this.jobs(), id);
    this.dirty = true;
  }

  private jobs(): JobRecords {
    this.document.jobs ??= sessionRecords<JobState>();
    return this.document.jobs;
  }

  /** Resolves once every change made before the call is written. */
  flush(): Promise<void> {
    if (!this.dirty) return this.writing ?? Promise.resolve();
    if (!this.writing) {
      this.writing = this.write().finally(() => {
        this.writing = undefined;
      });
      return this.writing;
    }
    // A write is under way with a snapshot taken before this change: queue one more.
    this.queued ??= this.writing.then(
      () => this.takeQueued(),
      () => this.takeQueued(),
    );
    return this.queued;
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.backend.finish?.(this.document);
  }

  private takeQueued(): Promise<void> {
    this.queued = undefined;
    return this.flush();
  }

  private async write(): Promise<void> {
    this.writes += 1;
    this.dirty = false;
    try {
      await this.backend.write(structuredClone(this.document));
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }
}
