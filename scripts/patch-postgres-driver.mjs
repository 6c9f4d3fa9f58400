// `postinstall`: fixes a bug of postgres.js 3.4.9 (the latest release) in the installed copy.
//
// The driver batches small writes behind a setImmediate and remembers the pending timer in
// `nextWriteTimer`. When a connection closes (or is terminated) with such a write pending, it
// cancels the timer but keeps the handle, so that pool slot never schedules a write again: each
// later connection on it buffers its startup message forever and fails with CONNECT_TIMEOUT, and
// a write made while the socket is gone throws from a timer and can take the process down. After
// a PostgreSQL restart, some requests kept failing until the portal was restarted (found by
// test/reliability/database-restart.test.ts; lib/db/postgres-driver.test.ts proves the fix). Known
// upstream (porsager/postgres #1193, #1208); drop this script once a release fixes it.
//
// Second, a connection that dies while executing a query settles that query but keeps it as the
// current one: the next connection's error (PostgreSQL "starting up") is then parked for it, the
// new query reconnects in a loop without delay until PostgreSQL is up, and fails with that stale
// error. After a restart, requests hung during the start and some failed after it.
//
// The fix: forget the pending write and its timer when the connection closes or is terminated;
// make a write that finds no socket fail its query as a closed connection instead of throwing;
// forget the current query (and its parked error) of a closed socket.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const MARKER = "/* gatehouse: postgres.js write-timer fix */";
const FILES = ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"];

/** The patched source, or the source unchanged when already patched; throws when it does not fit. */
export function patchConnectionSource(source) {
  if (source.includes(MARKER)) return source;
  const cancel = "    clearImmediate(nextWriteTimer)\n";
  const cancels = source.split(cancel).length - 1;
  const write = "  function nextWrite(fn) {\n";
  const settle =
    "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n";
  if (cancels !== 2 || !source.includes(write) || !source.includes(settle))
    throw new Error("postgres.js connection.js is not the 3.4.9 source this fix was written for");
  return (
    source
      .replaceAll(cancel, `${cancel}    chunk = nextWriteTimer = null ${MARKER}\n`)
      .replace(
        write,
        `${write}    if (!socket) { chunk = nextWriteTimer = null; error(Errors.connection('CONNECTION_CLOSED', options)); return false } ${MARKER}\n`,
      )
      // The query of a dead socket is settled just above: it must not stay "current" for the next one.
      .replace(settle, `${settle}    query = errorResponse = null ${MARKER}\n`)
  );
}

export function patchInstalledDriver(root = path.resolve(import.meta.dirname, "..")) {
  const dir = path.join(root, "node_modules", "postgres");
  if (!existsSync(dir)) return [];
  const { version } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  const patched = [];
  for (const file of FILES) {
    const full = path.join(dir, file);
    if (!existsSync(full)) continue;
    const source = readFileSync(full, "utf8");
    let next;
    try {
      next = patchConnectionSource(source);
    } catch (error) {
      console.warn(`[postinstall] postgres ${version}, ${file}: ${error.message}; not patched`);
      continue;
    }
    if (next !== source) {
      writeFileSync(full, next);
      patched.push(file);
    }
  }
  return patched;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const patched = patchInstalledDriver();
  if (patched.length)
    console.log(`[postinstall] postgres.js write-timer fix applied to ${patched.join(", ")}`);
}
