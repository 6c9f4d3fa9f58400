import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";

// bcryptjs computes on the thread that calls it, even through its async API (8 logins in flight
// stall the event loop for ≈ 800 ms: shared/STACK-NOTES.md). So each hash runs in a worker thread,
// which calls the synchronous functions and answers with a message.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const bcrypt = require(workerData.bcryptjs);
parentPort.on("message", ({ id, op, password, arg }) => {
  try {
    const value = op === "hash" ? bcrypt.hashSync(password, arg) : bcrypt.compareSync(password, arg);
    parentPort.postMessage({ id, value });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
});
`;

interface Job {
  resolve(value: string | boolean): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  jobs: Map<number, Job>;
}

/**
 * `size` worker threads running bcryptjs; a job goes to the thread with the fewest jobs. The
 * callers already hold one of the hashing slots (lib/passwords/slots.ts, one per core), so with
 * `size` = cores every hash in progress has a thread of its own.
 *
 * bcryptjs is found from the working directory, as the server is started from the project root:
 * bundlers rewrite `require.resolve` in server code, so it cannot be asked from here.
 */
export function createBcryptjsWorkers(size: number, from = process.cwd()) {
  const bcryptjs = createRequire(path.join(from, "package.json")).resolve("bcryptjs");
  const threads: Array<Thread | undefined> = Array.from({ length: size }, () => undefined);
  let nextId = 0;

  function start(slot: number): Thread {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptjs } });
    const thread: Thread = { worker, jobs: new Map() };
    worker.on("message", ({ id, value, error }: { id: number; value?: string | boolean; error?: string }) => {
      const job = thread.jobs.get(id);
      thread.jobs.delete(id);
      if (thread.jobs.size === 0) worker.unref();
      if (error !== undefined) job?.reject(new Error(error));
      else if (value !== undefined) job?.resolve(value);
    });
    // A thread that dies fails its jobs and is replaced on the next call.
    const fail = (error: Error) => {
      if (threads[slot] === thread) threads[slot] = undefined;
      for (const job of thread.jobs.values()) job.reject(error);
      thread.jobs.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`bcryptjs worker exited (${code})`)));
    // A thread keeps the process alive only while it has work: an idle one must not, and a busy
    // one must, or a script awaiting a hash would end without its answer.
    worker.unref();
    threads[slot] = thread;
    return thread;
  }

  function run(op: "hash" | "compare", password: string, arg: number | string): Promise<string | boolean> {
    let slot = 0;
    for (let i = 1; i < size; i++)
      if ((threads[i]?.jobs.size ?? 0) < (threads[slot]?.jobs.size ?? 0)) slot = i;
    const thread = threads[slot] ?? start(slot);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      if (thread.jobs.size === 0) thread.worker.ref();
      thread.jobs.set(id, { resolve, reject });
      thread.worker.postMessage({ id, op, password, arg });
    });
  }

  return {
    hash: async (password: string, cost: number) => String(await run("hash", password, cost)),
    compare: async (password: string, hash: string) => (await run("compare", password, hash)) === true,
    /** Threads started so far (they start on first use). */
    get threads() {
      return threads.filter(Boolean).length;
    },
  };
}
