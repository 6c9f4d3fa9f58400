import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db";

/** Per table: its row count and a checksum of every row's content. */
export type TableSnapshot = Record<string, { rows: number; checksum: string }>;

/** Runs raw SQL on either driver (postgres.js answers an array, PGlite `{ rows }`). */
async function rowsOf<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/**
 * Counts and checksums every table of the public schema (one query). `ignore` names tables that
 * a refused attempt is meant to write (attempt counters, the audit trail); `ignoreColumns` names
 * columns that reading a row touches (a session's last use).
 */
export async function snapshotTables(
  db: Db,
  options: { ignore?: string[]; ignoreColumns?: string[] } = {},
): Promise<TableSnapshot> {
  const tables = await rowsOf<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const ignore = new Set(options.ignore ?? []);
  const drop = (options.ignoreColumns ?? []).map((c) => ` - '${c.replace(/'/g, "''")}'`).join("");
  const parts = tables
    .filter((t) => !ignore.has(t.name))
    .map((t) => {
      const quoted = `"${t.name.replace(/"/g, '""')}"`;
      const row = `md5((to_jsonb(t)${drop})::text)`;
      return `select '${t.name}' as name, count(*)::int as rows,
        coalesce(md5(string_agg(${row}, ',' order by ${row})), '') as checksum from ${quoted} t`;
    });
  if (!parts.length) return {};
  const rows = await rowsOf<{ name: string; rows: number; checksum: string }>(
    db,
    sql.raw(parts.join("\nunion all\n")),
  );
  return Object.fromEntries(rows.map((r) => [r.name, { rows: Number(r.rows), checksum: r.checksum }]));
}
