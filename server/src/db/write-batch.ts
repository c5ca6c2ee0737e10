import type { EntityManager, EntitySchema, QueryRunner } from 'typeorm';

/**
 * The hot path's writes in one round trip (issue 14.1): a transaction's inserts and updates are collected here and
 * sent together at the end. On MySQL/MariaDB they go as one multi-statement query straight to the pooled mysql2
 * connection (no ORM query building, no per-query promise wrapper); an insert whose id a later statement needs is
 * followed by `SET @jf_n = LAST_INSERT_ID()`, so the later statement names it. On SQLite (in process, no round trip)
 * they run one by one as cached prepared statements, the ids substituted as they come.
 *
 * Only constant SQL with `?` placeholders goes in (no `?` inside literals); values are always parameters.
 */

/** The id of a row inserted by an earlier step; `value` is set once the batch has run. */
export class Ref {
  value = 0;
  constructor(readonly slot: number) {}
  get id(): number {
    if (this.value === 0) throw new Error(`batch id @jf_${this.slot} read before the batch ran`);
    return this.value;
  }
}

/** A text built from strings and ids (a stored response naming a row the same batch inserts). */
export class Concat {
  constructor(readonly parts: (string | Ref)[]) {}
  resolve(): string {
    return this.parts.map((p) => (p instanceof Ref ? String(p.id) : p)).join('');
  }
}

export type Value = string | number | boolean | null | Ref | Concat;

interface Step {
  sql: string;
  params: Value[];
  ref?: Ref;
  /** Checked on the step's affected rows after the batch ran; throws to roll the transaction back. */
  check?: (affected: number) => void;
}

const columnsCache = new WeakMap<object, Map<string, string>>();

/** property name → column name of an entity schema (from TypeORM's metadata, read once per entity). */
function columnsOf(m: EntityManager, entity: EntitySchema<any>): Map<string, string> {
  let cols = columnsCache.get(entity);
  if (!cols) {
    cols = new Map(m.connection.getMetadata(entity).columns.map((c) => [c.propertyName, c.databaseName]));
    columnsCache.set(entity, cols);
  }
  return cols;
}

function tableOf(m: EntityManager, entity: EntitySchema<any>): string {
  return m.connection.getMetadata(entity).tableName;
}

export class WriteBatch {
  private readonly steps: Step[] = [];
  private readonly finals = new Map<string, () => void>();
  private slots = 0;

  constructor(private readonly m: EntityManager) {}

  get size(): number {
    return this.steps.length;
  }

  /** MySQL/MariaDB (else SQLite): for the few statements whose dialects differ (an upsert). */
  get mysql(): boolean {
    return this.m.connection.options.type === 'mysql';
  }

  /** One row (entity property names; an absent property takes its column default); answers its id. */
  insert<T>(entity: EntitySchema<T>, row: { [K in keyof T]?: Value }): Ref {
    const ref = new Ref(++this.slots);
    this.steps.push({ ...this.insertSql(entity, [row]), ref });
    return ref;
  }

  /** Several rows of one entity in one statement (no ids answered). */
  insertMany<T>(entity: EntitySchema<T>, rows: { [K in keyof T]?: Value }[]): void {
    if (rows.length > 0) this.steps.push(this.insertSql(entity, rows));
  }

  /** Any other statement (an update); `check` sees its affected rows after the batch ran. */
  exec(sql: string, params: Value[], check?: (affected: number) => void): void {
    this.steps.push({ sql, params, check });
  }

  private insertSql<T>(entity: EntitySchema<T>, rows: Record<string, Value | undefined>[]): Step {
    const cols = columnsOf(this.m, entity);
    const props = Object.keys(rows[0]!).filter((p) => rows[0]![p] !== undefined);
    const names = props.map((p) => {
      const c = cols.get(p);
      if (!c) throw new Error(`${tableOf(this.m, entity)} has no property ${p}`);
      return c;
    });
    const tuple = `(${props.map(() => '?').join(', ')})`;
    return {
      sql: `INSERT INTO ${tableOf(this.m, entity)} (${names.join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`,
      params: rows.flatMap((r) => props.map((p) => r[p] ?? null)),
    };
  }

  /** Work that queues its statements last, once per key, when the batch runs (an account written once). */
  atFlush(key: string, fn: () => void): void {
    this.finals.set(key, fn);
  }

  /** Runs every step inside the caller's transaction, then the checks; the batch is empty afterwards. */
  async flush(): Promise<void> {
    for (const fn of this.finals.values()) fn();
    this.finals.clear();
    const steps = this.steps.splice(0);
    if (steps.length === 0) return;
    const qr = this.m.queryRunner;
    if (!qr) throw new Error('a write batch runs inside a transaction');
    const affected = this.m.connection.options.type === 'mysql' ? await runMysql(qr, steps) : await runSqlite(qr, steps);
    steps.forEach((s, i) => s.check?.(affected[i]!));
  }
}

interface MysqlHeader {
  affectedRows: number;
  insertId: number;
}

/** The pooled mysql2 connection of a query runner (callback API: no promise wrapper and stack capture per query). */
export function mysqlConnection(qr: QueryRunner): Promise<{ query(sql: string, params: unknown[], cb: (err: unknown, res: unknown) => void): void }> {
  return (qr as unknown as { connect(): Promise<any> }).connect();
}

/** One query on the raw mysql2 connection; answers the driver's result. */
export async function mysqlQuery<R = unknown>(qr: QueryRunner, sql: string, params: unknown[]): Promise<R> {
  const conn = await mysqlConnection(qr);
  return new Promise((resolve, reject) => conn.query(sql, params, (err, res) => (err ? reject(err) : resolve(res as R))));
}

async function runMysql(qr: QueryRunner, steps: Step[]): Promise<number[]> {
  const sql: string[] = [];
  const params: unknown[] = [];
  const index: number[] = []; // result index of each step
  const named = new Set<number>(); // slots some step reads
  for (const s of steps) for (const p of s.params) for (const r of refsIn(p)) named.add(r.slot);
  for (const s of steps) {
    let k = 0;
    const text = s.sql.replace(/\?/g, () => {
      const p = s.params[k++];
      // A Ref of an earlier flush is known: a plain value. Otherwise the variable set after its insert.
      if (p instanceof Ref && p.value !== 0) return params.push(p.value), '?';
      if (p instanceof Ref) return `@jf_${p.slot}`;
      if (p instanceof Concat) {
        const parts = p.parts.map((x) => (x instanceof Ref && x.value === 0 ? `@jf_${x.slot}` : (params.push(x instanceof Ref ? String(x.value) : x), '?')));
        return `CONCAT(${parts.join(', ')})`;
      }
      params.push(p ?? null);
      return '?';
    });
    index.push(sql.length);
    sql.push(text);
    if (s.ref && named.has(s.ref.slot)) sql.push(`SET @jf_${s.ref.slot} = LAST_INSERT_ID()`);
  }
  const raw = await mysqlQuery<MysqlHeader | MysqlHeader[]>(qr, sql.join(';\n'), params);
  const results = sql.length === 1 ? [raw as MysqlHeader] : (raw as MysqlHeader[]);
  return steps.map((s, i) => {
    const res = results[index[i]!]!;
    if (s.ref) s.ref.value = Number(res.insertId);
    return Number(res.affectedRows);
  });
}

async function runSqlite(qr: QueryRunner, steps: Step[]): Promise<number[]> {
  const out: number[] = [];
  for (const s of steps) {
    const params = s.params.map((p) => (p instanceof Ref ? p.id : p instanceof Concat ? p.resolve() : typeof p === 'boolean' ? (p ? 1 : 0) : p));
    const res = (await qr.query(s.sql, params, true)) as { affected?: number; raw: unknown };
    if (s.ref) s.ref.value = Number(res.raw);
    out.push(res.affected ?? 0);
  }
  return out;
}

function refsIn(p: Value): Ref[] {
  if (p instanceof Ref) return [p];
  if (p instanceof Concat) return p.parts.filter((x): x is Ref => x instanceof Ref);
  return [];
}

/** A JSON text in which Ref values become the ids they name once the batch ran (as a Concat when there are any). */
export function jsonWithRefs(value: unknown): string | Concat {
  const refs: Ref[] = [];
  const json = JSON.stringify(value, (_k, v: unknown) => (v instanceof Ref ? `\u0000${refs.push(v) - 1}\u0000` : v));
  if (refs.length === 0) return json;
  const parts: (string | Ref)[] = [];
  json.split(/"\\u0000(\d+)\\u0000"/).forEach((piece, i) => parts.push(i % 2 === 1 ? refs[Number(piece)]! : piece));
  return new Concat(parts.filter((p) => p !== ''));
}

/** A value with every Ref replaced by its id (after the batch ran). */
export function resolveRefs<T>(value: T): T {
  if (value instanceof Ref) return value.id as T;
  if (Array.isArray(value)) return value.map(resolveRefs) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v)])) as T;
  return value;
}

/** A read on the transaction's own connection, bypassing the ORM on MySQL; rows as the driver returns them. */
export async function select<R>(m: EntityManager, sql: string, params: unknown[]): Promise<R[]> {
  const qr = m.queryRunner;
  if (qr && m.connection.options.type === 'mysql') return mysqlQuery<R[]>(qr, sql, params);
  return (await m.query(sql, params)) as R[];
}

/**
 * Several reads in one round trip on MySQL (one multi-statement query; each runs after the one before, so a read
 * after a `FOR UPDATE` sees the rows as they stand under that lock); one by one on SQLite. Answers each read's rows.
 */
export async function selectAll(m: EntityManager, reads: { sql: string; params: unknown[] }[]): Promise<unknown[][]> {
  const qr = m.queryRunner;
  if (qr && m.connection.options.type === 'mysql' && reads.length > 1) {
    return mysqlQuery<unknown[][]>(qr, reads.map((r) => r.sql).join(';\n'), reads.flatMap((r) => r.params));
  }
  const out: unknown[][] = [];
  for (const r of reads) out.push(await select(m, r.sql, r.params));
  return out;
}
