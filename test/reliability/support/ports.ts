/** Ports of the suite's servers: RELIABILITY_PORT (default 3500) and up, one block per test file. */
const base = Number(process.env.RELIABILITY_PORT) || 3500;

export const PORTS = {
  pairA: base + 10,
  pairB: base + 11,
  restart: base + 20,
  /** The private PostgreSQL cluster that the restart test stops and starts. */
  privatePostgres: Number(process.env.RELIABILITY_PG_PORT) || 55432,
  deliveryA: base + 30,
  deliveryB: base + 31,
  smtpA: base + 38,
  smtpB: base + 39,
  load: base + 40,
  fuzz: base + 50,
};
