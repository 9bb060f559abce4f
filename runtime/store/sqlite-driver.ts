/**
 * better-sqlite3 ships no TypeScript declarations and @types/better-sqlite3 is not a dependency.
 * Rather than declaring the module globally (an ambient `declare module` would collide with any
 * other declaration of it in the project), this file types the small part of its API that the
 * store's tests and benchmark use, and loads it through `createRequire`.
 *
 * The store itself does not call better-sqlite3 on the main thread: its connection lives in the
 * commit worker (./commit-worker.ts), which needs only the module's resolved path.
 */
import { createRequire } from 'node:module';

export interface SqliteStatement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  pluck(on?: boolean): SqliteStatement;
  raw(on?: boolean): SqliteStatement;
}

export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): SqliteDatabase;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  close(): void;
  readonly inTransaction: boolean;
  readonly open: boolean;
}

export interface SqliteDatabaseConstructor {
  new (filename: string, options?: { readonly?: boolean; fileMustExist?: boolean; timeout?: number }): SqliteDatabase;
}

const require = createRequire(import.meta.url);

/** Absolute path of better-sqlite3's entry point, for `require` inside a worker. */
export function sqliteDriverPath(): string {
  return require.resolve('better-sqlite3');
}

/** The better-sqlite3 `Database` class. */
export function loadSqlite(): SqliteDatabaseConstructor {
  return require('better-sqlite3') as SqliteDatabaseConstructor;
}
