import { ExpireFile, type CommandEnvelope, type MessageOf } from '@conveyor/contracts';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { CommandSender } from '../commands/command-sender.js';
import type { Database } from '../database/schema.js';
import type { Clock } from '../system/clock.js';
import { deriveId } from '../system/derived-id.js';

/** Files read per query; a sweep reads as many batches as there are expired files. */
const defaultBatchSize = 500;

export interface ExpiredFileSweeperPorts {
  /** The database the files read model lives in. */
  db: Kysely<Database>;
  commands: CommandSender;
  clock: Clock;
  logger: Logger;
}

/** Where the previous batch ended: files are read in (expires_at, id) order. */
interface SweepPosition {
  expiresAt: Date;
  id: string;
}

/**
 * Removes anonymous sessions' files once their `expires_at` has passed: it finds them in the
 * files read model and sends `ExpireFile` for each. The file decider records `FileExpired`
 * and the file process manager deletes the bytes; the sweeper itself changes nothing.
 *
 * Several processes may sweep at once: each command's id is derived from the file's, so a
 * file sent twice (by two sweepers, or again before the projection caught up) is appended
 * once, and the decider ignores an expiry of a file already gone.
 *
 * @example
 * const sweeper = new ExpiredFileSweeper({ db: database.db, commands: new CommandSender(log), clock: systemClock, logger });
 * sweeper.start(60_000);
 * // at shutdown
 * await sweeper.stop();
 */
export class ExpiredFileSweeper {
  readonly #batchSize: number;
  /** The sweep under way (or the last one), so that the next one starts only after it. */
  #latestSweep: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;

  constructor(
    private readonly ports: ExpiredFileSweeperPorts,
    options: { batchSize?: number } = {},
  ) {
    this.#batchSize = options.batchSize ?? defaultBatchSize;
  }

  /**
   * Sends `ExpireFile` for every file that expired at or before `now` and is not deleted yet;
   * answers how many it sent. Waits for a sweep under way to end first.
   */
  sweepOnce(now: Date): Promise<number> {
    const sweep = this.#latestSweep.then(() => this.#sweep(now));
    this.#latestSweep = sweep.catch(() => undefined);
    return sweep;
  }

  /** Sweeps every `intervalMs` until `stop`; the timer does not keep the process alive. */
  start(intervalMs: number): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const schedule = () => {
      if (this.#stopped) return;
      this.#timer = setTimeout(() => void this.#sweepOnTimer().finally(schedule), intervalMs);
      this.#timer.unref();
    };
    schedule();
  }

  /** Stops the timer and waits for a sweep under way to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#latestSweep;
  }

  async #sweepOnTimer(): Promise<void> {
    try {
      const expired = await this.sweepOnce(this.ports.clock.now());
      if (expired > 0) this.ports.logger.info({ expired }, 'expired files sent for removal');
    } catch (error) {
      // The next tick tries again: a database that is down now may be back by then.
      this.ports.logger.error({ err: error }, 'expired-file sweep failed');
    }
  }

  async #sweep(now: Date): Promise<number> {
    let sent = 0;
    let position: SweepPosition | undefined;
    for (;;) {
      const batch = await this.#expiredBatch(now, position);
      for (const file of batch) await this.ports.commands.send(this.#expireCommand(file, now));
      sent += batch.length;
      if (batch.length < this.#batchSize) return sent;
      const last = batch.at(-1)!;
      // The read model still shows these files until the projector catches up: read past them.
      position = { expiresAt: last.expires_at, id: last.id };
    }
  }

  async #expiredBatch(now: Date, position: SweepPosition | undefined) {
    let query = this.ports.db
      .selectFrom('files')
      .select(['id', 'org_id', 'expires_at'])
      .where('expires_at', '<=', now)
      // FileDeleted and FileExpired both leave a row as 'deleted'.
      .where('status', '!=', 'deleted');
    if (position) {
      query = query.where((eb) => eb(eb.refTuple('expires_at', 'id'), '>', eb.tuple(position.expiresAt, position.id)));
    }
    const rows = await query.orderBy('expires_at').orderBy('id').limit(this.#batchSize).execute();
    return rows.map((row) => ({ id: row.id, org_id: row.org_id, expires_at: new Date(row.expires_at!) }));
  }

  #expireCommand(file: { id: string; org_id: string }, now: Date): CommandEnvelope<MessageOf<typeof ExpireFile>['data']> {
    return {
      id: deriveId(file.id, 'expire'),
      type: ExpireFile.type,
      version: ExpireFile.version,
      aggregate: 'file',
      aggregate_id: file.id,
      org_id: file.org_id,
      issued_at: now.toISOString(),
      correlation_id: null,
      data: {},
    };
  }
}
