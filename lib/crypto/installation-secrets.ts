import { eq } from "drizzle-orm";
import { type Db, tables } from "@/lib/db";
import { newSecret } from "./secrets";

export interface InstallationSecrets {
  /**
   * The secret called `name`: generated on first use and stored, so that every app instance on
   * this database gets the same value. Read from the database once per process.
   */
  get(name: string): Promise<string>;
  /** The secret called `name` if it was ever generated; never creates it. */
  find(name: string): Promise<string | null>;
}

export function createInstallationSecrets({ db }: { db: Db }): InstallationSecrets {
  const cache = new Map<string, Promise<string>>();

  async function readOrCreate(name: string): Promise<string> {
    // Two instances booting at once may both try to insert: the first insert wins, both read it.
    await db
      .insert(tables.installationSecrets)
      .values({ name, value: newSecret(32) })
      .onConflictDoNothing();
    const [row] = await db
      .select({ value: tables.installationSecrets.value })
      .from(tables.installationSecrets)
      .where(eq(tables.installationSecrets.name, name));
    if (!row) throw new Error(`installation secret ${name} could not be stored`);
    return row.value;
  }

  return {
    async find(name) {
      const [row] = await db
        .select({ value: tables.installationSecrets.value })
        .from(tables.installationSecrets)
        .where(eq(tables.installationSecrets.name, name));
      return row?.value ?? null;
    },

    get(name) {
      let value = cache.get(name);
      if (!value) {
        value = readOrCreate(name);
        // A failed read (database down) is retried by the next caller instead of being cached.
        value.catch(() => cache.delete(name));
        cache.set(name, value);
      }
      return value;
    },
  };
}
