import { EventEmitter } from "node:events";
import postgres from "postgres";
import { describe, expect, it } from "vitest";

/** Just enough of a socket for postgres.js: it records what the driver writes. */
class FakeSocket extends EventEmitter {
  readonly writes: Buffer[] = [];
  /** What the fake server does after the client's n-th write. */
  onWrite: (n: number) => void = () => {};
  write(chunk: Buffer, callback?: () => void) {
    this.writes.push(chunk);
    callback?.();
    const n = this.writes.length;
    setImmediate(() => this.onWrite(n));
    return true;
  }
  destroy() {}
  end() {}
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A backend message: type byte, int32 length (itself included), body. */
function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
const authenticationOk = message("R", Buffer.from([0, 0, 0, 0]));
const readyForQuery = message("Z", Buffer.from("I"));
const startingUp = message(
  "E",
  Buffer.from("SFATAL\0C57P03\0Mthe database system is starting up\0\0", "latin1"),
);

/**
 * postgres.js 3.4.9 batches small writes behind a setImmediate and, when a connection closes with
 * such a write pending, cancels the timer but keeps its handle: every later connection on that
 * pool slot then buffers its startup message forever and fails with CONNECT_TIMEOUT. After a
 * PostgreSQL restart some requests kept failing that way until the process was restarted (found
 * by test/reliability/database-restart.test.ts). scripts/patch-postgres-driver.mjs fixes the
 * installed driver at `npm install`; this proves the installed copy is fixed.
 */
describe("the installed postgres.js driver", () => {
  it("connects again on a pool slot whose connection closed with a write pending", async () => {
    const sockets: FakeSocket[] = [];
    // `socket` (a custom socket factory) is a documented option missing from the typings.
    const options = {
      max: 1,
      connect_timeout: 5,
      onnotice: () => {},
      socket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        // The first connection closes before its startup message has been flushed.
        if (sockets.length === 1) setImmediate(() => socket.emit("close", false));
        return socket;
      },
    } as unknown as postgres.Options<Record<string, never>>;
    const sql = postgres(options);
    const query = sql`select 1`.catch(() => {});
    for (let i = 0; i < 20 && sockets.length < 2; i++) await tick(10);
    await tick(50);
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    // The second connection sent its startup message (it never did before the fix).
    expect(sockets[1]?.writes.length).toBeGreaterThan(0);
    void sql.end({ timeout: 0 });
    void query;
  });

  it("fails a query at once with PostgreSQL's answer while it starts up, after a connection died mid-query", async () => {
    // The connection executing a query dies; 3.4.9 kept that query as "current", so the next
    // connection's "starting up" error was parked for it, the new query reconnected in a loop
    // without delay until PostgreSQL was up, then failed with that stale error.
    const sockets: FakeSocket[] = [];
    const options = {
      max: 1,
      fetch_types: false,
      connect_timeout: 5,
      onnotice: () => {},
      socket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        const first = sockets.length === 1;
        socket.onWrite = (n) => {
          if (first && n === 1) socket.emit("data", Buffer.concat([authenticationOk, readyForQuery]));
          else if (first)
            socket.emit("close", false); // dies during the query
          else if (n === 1) {
            socket.emit("data", startingUp);
            socket.emit("close", false);
          }
        };
        return socket;
      },
    } as unknown as postgres.Options<Record<string, never>>;
    const sql = postgres(options);
    await expect(sql`select 1`).rejects.toMatchObject({ code: "CONNECTION_CLOSED" });
    const second = sql`select 1`.then(
      () => "resolved",
      (error: { code?: string }) => error.code,
    );
    const settled = await Promise.race([second, tick(500).then(() => "still waiting")]);
    expect(settled).toBe("57P03");
    expect(sockets.length).toBeLessThanOrEqual(3);
    void sql.end({ timeout: 0 });
  });
});
