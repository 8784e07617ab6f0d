// Issue 12: what a data-savvy user would write instead of callscrub, run in its own process (like measure.ts runs
// callscrub) so that its wall time and peak RSS are measured the same way, for run.ts.
//   node dist/bench/duckdb.js PEER_DIR PROSPECTS LIST OUT
// PEER_DIR is the scratch folder run.ts installed @duckdb/node-api into (never a dependency of the project): the
// package is loaded from there by dynamic import. The job: read_csv of both files, every phone cell and list line
// turned into 33XXXXXXXXX by regular expressions (digits only; then 0033, 33 or 0 before 9 digits, or 9 digits
// alone), a NOT EXISTS anti-join of each phone column against the list, and COPY of the rows none of whose phone
// cells is listed to OUT (';', a header). Reports on stderr `BENCH {"ms","maxRssKb","clean"}`: the time from opening
// DuckDB to the end of the COPY (as measure.ts times callscrub's run, module loading excluded), the process's peak
// RSS, and the row count the COPY returned.

import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The little of @duckdb/node-api this uses (the package is not installed with the project, so no types). */
interface DuckDB {
  DuckDBInstance: {
    create(path: string, options?: Record<string, string>): Promise<{
      connect(): Promise<{
        run(sql: string): Promise<unknown>;
        runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>;
        closeSync?(): void;
      }>;
      closeSync?(): void;
    }>;
  };
}

const [peerDir, prospects, list, out] = process.argv.slice(2);
if (peerDir === undefined || prospects === undefined || list === undefined || out === undefined) {
  console.error('usage: node dist/bench/duckdb.js PEER_DIR PROSPECTS LIST OUT');
  process.exit(2);
}
const entry = createRequire(path.join(path.resolve(peerDir), 'package.json')).resolve('@duckdb/node-api');
const duckdb = (await import(pathToFileURL(entry).href)) as DuckDB;

/** A SQL string literal. */
const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

const started = performance.now();
const instance = await duckdb.DuckDBInstance.create(':memory:');
const connection = await instance.connect();
// The same reading of a cell for both files: its digits, then the 9 significant digits after 0033, 33 or the trunk 0
// (or 9 digits alone, a spreadsheet's lost 0), with 33 in front; anything else is NULL, which matches nothing.
await connection.run(
  `CREATE MACRO fr33(cell) AS '33' || nullif(regexp_extract(regexp_replace(cell, '[^0-9]', '', 'g'), '^(?:0033|33|0)?([0-9]{9})$', 1), '')`,
);
const reader = await connection.runAndReadAll(`
  COPY (
    WITH listed AS (
      SELECT DISTINCT fr33(number) AS n FROM read_csv(${literal(list)}, header = false, columns = {'number': 'VARCHAR'})
    ),
    prospects AS (
      SELECT * FROM read_csv(${literal(prospects)}, delim = ';', quote = '"', header = true, all_varchar = true)
    )
    SELECT * FROM prospects p
    WHERE NOT EXISTS (SELECT 1 FROM listed WHERE listed.n = fr33(p.telephone))
      AND NOT EXISTS (SELECT 1 FROM listed WHERE listed.n = fr33(p.mobile))
  ) TO ${literal(out)} (FORMAT csv, HEADER true, DELIMITER ';')
`);
const ms = performance.now() - started;
const clean = Number(reader.getRows()[0]?.[0]);
connection.closeSync?.();
instance.closeSync?.();
process.stderr.write(`BENCH ${JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, clean })}\n`);
