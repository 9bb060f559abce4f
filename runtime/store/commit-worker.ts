/**
 * The commit worker: the thread that owns the SQLite connection and does the fsyncs, so the main
 * thread (the API server's event loop) keeps serving reads, watches and new writes while a batch
 * is being made durable.
 *
 * It is plain JavaScript started with `new Worker(source, { eval: true })` rather than a module
 * file: that way it runs the same under tsx, vitest and the esbuild bundle in build/ (a worker file
 * would need its own bundle entry), and without the parent's loader flags.
 *
 * Protocol (over the MessagePort in workerData.port):
 *   startup  worker → main  { ok: true, rows: [key, rv, json][], revision, schema }
 *                         | { ok: false, message, code }
 *            then sets workerData.sab[0] = 1 and notifies: openStore() blocks on it with
 *            Atomics.wait and reads the reply with receiveMessageOnPort, so opening stays synchronous.
 *   commit   main → worker  { type: 'commit', id, keys, rvs, texts, revision }
 *              (texts[i] === null deletes keys[i]; ops are applied in order; meta.revision := revision)
 *            worker → main  { type: 'committed', id } | { type: 'failed', id, fatal, message, code }
 *              fatal = false: a statement failed and the transaction was rolled back; the database
 *                             is exactly as before the batch.
 *              fatal = true:  BEGIN, COMMIT or ROLLBACK failed; whether the batch is on disk is
 *                             unknown until the database is reopened (it is then all-or-nothing).
 *   close    main → worker  { type: 'close' }  →  worker → main { type: 'closed' }, then it exits.
 *
 * Schema (PRAGMA user_version = 1):
 *   objects(key TEXT PRIMARY KEY, rv INTEGER, value TEXT)   current values, JSON text whose
 *                                                           metadata.resourceVersion = rv
 *   meta(name TEXT PRIMARY KEY, value INTEGER)              'revision': the newest revision
 *                                                           (deletes leave no row, so max(rv) is not it)
 */
export const SCHEMA_VERSION = 1;

export const COMMIT_WORKER_SOURCE = String.raw`
'use strict';
const { workerData } = require('node:worker_threads');
const { port, sab, file, driver, quotaBytes } = workerData;
const SCHEMA_VERSION = ${SCHEMA_VERSION};

function errInfo(e) {
  return { message: String((e && e.message) || e), code: (e && e.code) || undefined };
}

function start() {
  let db;
  try {
    const Database = require(driver);
    db = new Database(file, { timeout: 0 });
    // Exclusive locking before the first access: no -shm file, and the lock taken by BEGIN
    // EXCLUSIVE below is held until close, so a second store on the same file fails fast.
    db.pragma('locking_mode = EXCLUSIVE');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') throw new Error('could not switch ' + file + ' to WAL (journal_mode=' + mode + ')');
    db.pragma('synchronous = FULL');
    if (quotaBytes) {
      const pageSize = Number(db.pragma('page_size', { simple: true }));
      db.pragma('max_page_count = ' + Math.max(1, Math.ceil(quotaBytes / pageSize)));
    }
    db.exec('BEGIN EXCLUSIVE');
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > SCHEMA_VERSION) {
      throw new Error(file + ' has schema version ' + version + '; this kite understands up to ' + SCHEMA_VERSION);
    }
    if (version < SCHEMA_VERSION) {
      db.exec(
        'CREATE TABLE IF NOT EXISTS objects (key TEXT PRIMARY KEY NOT NULL, rv INTEGER NOT NULL, value TEXT NOT NULL);' +
        'CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);' +
        "INSERT OR IGNORE INTO meta (name, value) VALUES ('revision', 0);" +
        'PRAGMA user_version = ' + SCHEMA_VERSION + ';'
      );
    }
    const rows = db.prepare('SELECT key, rv, value FROM objects').raw().all();
    const revision = Number(db.prepare("SELECT value FROM meta WHERE name = 'revision'").pluck().get() || 0);
    db.exec('COMMIT');
    return { db, reply: { ok: true, rows, revision } };
  } catch (e) {
    try { if (db) db.close(); } catch {}
    return { db: undefined, reply: Object.assign({ ok: false }, errInfo(e)) };
  }
}

const { db, reply } = start();
port.postMessage(reply);
const flag = new Int32Array(sab);
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);

if (!db) {
  port.close();
} else {
  const upsert = db.prepare(
    'INSERT INTO objects (key, rv, value) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET rv = excluded.rv, value = excluded.value'
  );
  const remove = db.prepare('DELETE FROM objects WHERE key = ?');
  const setRevision = db.prepare("UPDATE meta SET value = ? WHERE name = 'revision'");
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');

  function commitBatch(m) {
    try {
      begin.run();
    } catch (e) {
      return Object.assign({ type: 'failed', id: m.id, fatal: true }, errInfo(e));
    }
    try {
      const { keys, rvs, texts } = m;
      for (let i = 0; i < keys.length; i++) {
        const text = texts[i];
        if (text === null) remove.run(keys[i]);
        else upsert.run(keys[i], rvs[i], text);
      }
      setRevision.run(m.revision);
    } catch (e) {
      try {
        if (db.inTransaction) rollback.run();
      } catch (e2) {
        return Object.assign({ type: 'failed', id: m.id, fatal: true }, errInfo(e2));
      }
      return Object.assign({ type: 'failed', id: m.id, fatal: false }, errInfo(e));
    }
    try {
      commit.run();
    } catch (e) {
      return Object.assign({ type: 'failed', id: m.id, fatal: true }, errInfo(e));
    }
    return { type: 'committed', id: m.id };
  }

  port.on('message', (m) => {
    if (m.type === 'commit') {
      port.postMessage(commitBatch(m));
    } else if (m.type === 'close') {
      let error;
      try { db.close(); } catch (e) { error = errInfo(e); }
      port.postMessage({ type: 'closed', error });
      port.close();
    }
  });
}
`;
