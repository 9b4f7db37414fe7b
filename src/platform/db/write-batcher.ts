import type { Db, Tx } from './database.ts';

/**
 * Group commit for creates. Requests that arrive while a batch is being written (or within the
 * same turn of the event loop) are written together, in ONE transaction with multi-row
 * statements, instead of one transaction of a handful of statements each: on the embedded
 * database every statement costs a trip through the WASM engine, on a server a round trip, and
 * each commit a WAL flush.
 *
 * Each request still gets its own outcome: `writeBatch` returns one result per input, either
 * the created value or the error of that input alone (a bad reference, a bad phone), and only the
 * inputs without an error are written. When the whole transaction fails (a unique violation, a
 * lost connection), every input of the batch is written again on its own, in its own
 * transaction, so that one bad row never fails the others.
 */
export type BatchResult<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface WriteBatcherOptions<I, O> {
  /** Writes the inputs in the given transaction; one result per input, in the same order. */
  writeBatch(tx: Tx, inputs: I[]): Promise<BatchResult<O>[]>;
  /** Most inputs written by one transaction. */
  maxBatch?: number;
  /** Batches of one key in flight at once (PGlite has one connection: more would only queue). */
  maxInFlight?: number;
}

interface Pending<I, O> {
  input: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

interface Lane<I, O> {
  queue: Pending<I, O>[];
  inFlight: number;
  scheduled: boolean;
}

export class WriteBatcher<I, O> {
  private readonly lanes = new Map<string, Lane<I, O>>();
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly db: Db,
    private readonly options: WriteBatcherOptions<I, O>,
  ) {
    this.maxBatch = options.maxBatch ?? 64;
    this.maxInFlight = options.maxInFlight ?? 1;
  }

  /**
   * Writes one input with the others of its key (inputs of one key share what the batch reads
   * once, e.g. the workspace's settings). Resolves with its value or rejects with its own error.
   */
  submit(key: string, input: I): Promise<O> {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { queue: [], inFlight: 0, scheduled: false };
      this.lanes.set(key, lane);
    }
    const promise = new Promise<O>((resolve, reject) => lane.queue.push({ input, resolve, reject }));
    this.schedule(key, lane);
    return promise;
  }

  private schedule(key: string, lane: Lane<I, O>) {
    if (lane.scheduled || lane.inFlight >= this.maxInFlight || lane.queue.length === 0) return;
    lane.scheduled = true;
    // setImmediate: the requests already parsed in this turn of the event loop join the batch.
    setImmediate(() => {
      lane.scheduled = false;
      void this.flush(key, lane);
    });
  }

  private async flush(key: string, lane: Lane<I, O>) {
    if (lane.inFlight >= this.maxInFlight || lane.queue.length === 0) return;
    const batch = lane.queue.splice(0, this.maxBatch);
    lane.inFlight++;
    try {
      await this.writeAll(batch);
    } finally {
      lane.inFlight--;
      if (lane.queue.length > 0) this.schedule(key, lane);
      else if (lane.inFlight === 0) this.lanes.delete(key);
    }
  }

  private async writeAll(batch: Pending<I, O>[]) {
    let results: BatchResult<O>[];
    try {
      results = await this.db.transaction().execute((tx) =>
        this.options.writeBatch(
          tx,
          batch.map((pending) => pending.input),
        ),
      );
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One of them broke the transaction: each is written alone, so only that one fails.
      for (const pending of batch) await this.writeAll([pending]);
      return;
    }
    batch.forEach((pending, index) => {
      const result = results[index];
      if (!result) pending.reject(new Error('The batch writer returned no result for this input.'));
      else if (result.ok) pending.resolve(result.value);
      else pending.reject(result.error);
    });
  }
}

/** Runs `work` for each input, collecting each one's value or error (for the checks before a batch write). */
export function settle<I, O>(inputs: I[], work: (input: I, index: number) => O): BatchResult<O>[] {
  return inputs.map((input, index) => {
    try {
      return { ok: true, value: work(input, index) };
    } catch (error) {
      return { ok: false, error };
    }
  });
}
