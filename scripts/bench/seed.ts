/**
 * The bench's data: a realm, an app, a user whose session the SSO scenario reuses, and
 * `BENCH_USERS` users who all share one password. Run by scripts/bench/run.mjs with tsx, before the
 * server opens a PGlite directory (one process per directory) or beside it on PostgreSQL.
 *
 *   BENCH_REALM=bench-x BENCH_USERS=1000 BENCH_BCRYPT_COST=10 tsx scripts/bench/seed.ts   grow to 1,000 users
 *   BENCH_REALM=bench-x tsx scripts/bench/seed.ts --drop                                  delete the realm
 *
 * The users are bulk inserted with the hash of the first one: 100,000 real bcrypt hashes would take
 * hours, and a login only reads the hash it verifies. Prints one JSON line.
 */
import { and, count, eq, like, sql } from "drizzle-orm";
import { openDatabase, tables, targetFromEnv } from "@/lib/db";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { createServices } from "@/lib/services";

const BENCH_PASSWORD = "quiet-harbor-lantern-2718";
const BATCH = 10_000;
const userEmail = (i: number) => `user${i}@bench.test`;

async function main() {
  const slug = process.env.BENCH_REALM ?? "bench";
  const wanted = Number(process.env.BENCH_USERS ?? 1000);
  const cost = Number(process.env.BENCH_BCRYPT_COST ?? 10);
  const handle = await openDatabase(targetFromEnv());
  try {
    const gh = createServices({ db: handle.db, publicUrl: env().PUBLIC_URL });
    const { db } = handle;
    if (process.argv.includes("--drop")) {
      const realm = await gh.realms.find(slug);
      if (realm) await db.delete(tables.realms).where(eq(tables.realms.id, realm.id));
      console.log(JSON.stringify({ dropped: Boolean(realm) }));
      return;
    }

    const realm =
      (await gh.realms.find(slug)) ??
      (await gh.realms.create({ slug, name: "Bench Realm", settings: { bcrypt_cost: cost } }));
    const redirectUri = "http://bench.invalid/callback";
    const apps = await gh.apps.list(realm.id, { limit: 10 });
    const app =
      apps.data.find((a) => a.name === "Bench App") ??
      (await gh.apps.create(realm.id, { name: "Bench App", redirect_uris: [redirectUri] }));

    const u = tables.users;
    const have = async () =>
      Number(
        (
          await db
            .select({ n: count() })
            .from(u)
            .where(and(eq(u.realmId, realm.id), like(u.email, "user%@bench.test")))
        )[0]?.n ?? 0,
      );
    let next = await have();
    if (next === 0) {
      for (const email of [userEmail(0), "sso@bench.test"])
        await gh.users.create(realm, { email, password: BENCH_PASSWORD, email_verified: true });
      next = 1;
    }
    const first = await gh.users.findForLogin(realm.id, userEmail(0));
    const hash = first?.hash;
    if (!hash) throw new Error("the first bench user has no password");
    while (next < wanted) {
      // One statement per batch, the rows as one JSON parameter: seconds for 100,000 users.
      const rows = JSON.stringify(
        Array.from({ length: Math.min(BATCH, wanted - next) }, (_, i) => ({
          id: newId("usr"),
          email: userEmail(next + i),
        })),
      );
      await db.transaction(async (tx) => {
        await tx.execute(sql`
          insert into users (realm_id, id, email, email_verified)
          select ${realm.id}, r.id, r.email, true from json_to_recordset(${rows}::json) as r(id text, email text)`);
        await tx.execute(sql`
          insert into password_credentials (realm_id, user_id, hash, changed_at)
          select ${realm.id}, r.id, ${hash}, now() from json_to_recordset(${rows}::json) as r(id text)`);
      });
      next += Math.min(BATCH, wanted - next);
    }
    // Fresh planner statistics, as autovacuum would have them shortly after such an import.
    await db.execute(sql`analyze users, password_credentials`);
    console.log(
      JSON.stringify({
        realm: realm.slug,
        appId: app.id,
        redirectUri,
        password: BENCH_PASSWORD,
        users: next,
        cost: realm.settings.bcrypt_cost,
        algorithm: realm.settings.token_algorithm,
      }),
    );
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
