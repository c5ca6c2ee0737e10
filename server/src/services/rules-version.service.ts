import type { EntityManager } from 'typeorm';
import { applyRulesPatch, type RulesConfig, type RulesPatch } from '@jifen/shared';
import { RulesVersionEntity, ValueChangeEntity, type RulesVersion } from '../db/entities';
import { invariant } from '../errors';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';

export type RulesVersionKind = 'BASE' | 'CONFIG' | 'VALUE_CHANGE' | 'GUARD_ENGAGE' | 'GUARD_RELEASE' | 'CAP_REACHED' | 'CAP_RELEASED';

/** The economic switches of the version in force, beside its rules. */
export interface EconomyState {
  versionId: number;
  kind: string;
  reason: string;
  guardFactorPct: number;
  bonusesStopped: boolean;
  createdAt: number;
}

/**
 * Rules versioned in the database (issue 10). The newest rules_version row is in force; the services all
 * hold one rules object (config.rules), which this service keeps equal to that row: every balance change
 * syncs inside its transaction (LedgerService.lockAccount), so an entry is computed under, and records, the
 * version in force when it was booked, on every instance. config/rules.json is the base: applied value
 * changes are merged over it, and an edit of the file after the base was recorded becomes a CONFIG version.
 */
export class RulesVersionService {
  private readonly fileRules: RulesConfig;
  state: EconomyState = { versionId: 0, kind: 'BASE', reason: '', guardFactorPct: 100, bonusesStopped: false, createdAt: 0 };

  constructor(
    private readonly tx: TxRunner,
    readonly live: RulesConfig,
    private readonly clock: Clock,
  ) {
    this.fileRules = structuredClone(live);
  }

  /** Makes the live rules the newest version (one indexed read of the newest id when nothing changed). */
  async sync(m?: EntityManager): Promise<EconomyState> {
    const mgr = m ?? this.tx.manager;
    const top = await mgr.getRepository(RulesVersionEntity).createQueryBuilder('v').select('v.id', 'id').orderBy('v.id', 'DESC').limit(1).getRawOne<{ id: number | string }>();
    const id = top ? Number(top.id) : 0;
    if (id === 0 || this.state.versionId === 0) {
      if (m) await this.ensureBase(m);
      else await this.tx.run((mm) => this.ensureBase(mm));
    } else if (id !== this.state.versionId) {
      await this.load(mgr, id);
    }
    return this.state;
  }

  /**
   * Like sync(), for a caller that already read the newest version id in one of its own statements (a hot path
   * folds that read into its first query): loads only when it differs from the one held.
   */
  async syncTo(m: EntityManager, newestId: number): Promise<EconomyState> {
    if (newestId === 0 || this.state.versionId === 0) return this.sync(m);
    if (newestId !== this.state.versionId) await this.load(m, newestId);
    return this.state;
  }

  /** The rules the file and the applied value changes make, in order. */
  private async expected(m: EntityManager): Promise<RulesConfig> {
    const applied = await m.getRepository(ValueChangeEntity).find({ where: { status: 'applied' }, order: { effectiveAt: 'ASC', id: 'ASC' } });
    let rules = this.fileRules;
    for (const c of applied) {
      const next = applyRulesPatch(rules, JSON.parse(c.rules) as RulesPatch);
      if (next.ok) rules = next.rules;
    }
    return rules;
  }

  private async ensureBase(m: EntityManager): Promise<void> {
    const latest = await this.newest(m);
    const want = await this.expected(m);
    if (!latest) {
      // Entries booked before rules were versioned get this version's id from backfillUnversioned() (boot), in
      // short transactions: one UPDATE here held the first request, and a lock on every row, for over 30 s on a
      // ledger of 2.25M entries.
      await this.insert(m, { kind: 'BASE', reason: '初始规则(config/rules.json)', rules: want, guardFactorPct: 100, bonusesStopped: false, valueChangeId: null });
    } else if (latest.rules !== JSON.stringify(want)) {
      await this.insert(m, { kind: 'CONFIG', reason: 'config/rules.json 已修改', rules: want, guardFactorPct: latest.guardFactorPct, bonusesStopped: latest.bonusesStopped, valueChangeId: null });
    }
    const now = await this.newest(m);
    invariant(now, 'a rules version exists');
    this.apply(now);
  }

  /**
   * Entries booked before rules were versioned (a ledger upgraded from before the rules_version column) were
   * computed under the base rules: they get the first version's id, `step` entry ids per transaction, so neither a
   * request nor a lock waits on the whole ledger. Run at boot beside the server; idempotent. Returns the entries
   * that had no version.
   */
  async backfillUnversioned(step = 10_000): Promise<number> {
    const m = this.tx.manager;
    const [todo] = (await m.query('SELECT COUNT(*) AS n, MIN(id) AS lo, MAX(id) AS hi FROM ledger_entry WHERE rules_version IS NULL')) as { n: unknown; lo: unknown; hi: unknown }[];
    const n = Number(todo?.n ?? 0);
    if (n === 0) return 0;
    await this.sync();
    const [first] = (await m.query('SELECT MIN(id) AS id FROM rules_version')) as { id: unknown }[];
    const base = Number(first!.id);
    for (let from = Number(todo!.lo); from <= Number(todo!.hi); from += step) {
      await this.tx.run((mm) => mm.query('UPDATE ledger_entry SET rules_version = ? WHERE rules_version IS NULL AND id >= ? AND id < ?', [base, from, from + step]));
    }
    return n;
  }

  private newest(m: EntityManager): Promise<RulesVersion | null> {
    return m.getRepository(RulesVersionEntity).findOne({ where: {}, order: { id: 'DESC' } });
  }

  private async load(m: EntityManager, id: number): Promise<void> {
    const row = await m.getRepository(RulesVersionEntity).findOneOrFail({ where: { id } });
    this.apply(row);
  }

  private apply(row: RulesVersion): void {
    Object.assign(this.live, JSON.parse(row.rules) as RulesConfig);
    this.state = { versionId: row.id, kind: row.kind, reason: row.reason, guardFactorPct: row.guardFactorPct, bonusesStopped: row.bonusesStopped, createdAt: row.createdAt };
  }

  private async insert(
    m: EntityManager,
    v: { kind: RulesVersionKind; reason: string; rules: RulesConfig; guardFactorPct: number; bonusesStopped: boolean; valueChangeId: number | null },
  ): Promise<number> {
    const res = await m.getRepository(RulesVersionEntity).insert({ ...v, reason: v.reason.slice(0, 255), rules: JSON.stringify(v.rules), createdAt: this.clock().getTime() });
    return Number(res.identifiers[0]!.id);
  }

  /** A new version from the one in force with some things changed (inside the caller's transaction); returns its id. */
  async newVersion(
    m: EntityManager,
    change: { kind: RulesVersionKind; reason: string; rules?: RulesConfig; guardFactorPct?: number; bonusesStopped?: boolean; valueChangeId?: number },
  ): Promise<number> {
    await this.sync(m);
    const latest = await this.newest(m);
    invariant(latest, 'a rules version exists');
    const id = await this.insert(m, {
      kind: change.kind,
      reason: change.reason,
      rules: change.rules ?? (JSON.parse(latest.rules) as RulesConfig),
      guardFactorPct: change.guardFactorPct ?? latest.guardFactorPct,
      bonusesStopped: change.bonusesStopped ?? latest.bonusesStopped,
      valueChangeId: change.valueChangeId ?? null,
    });
    await this.load(m, id);
    return id;
  }

  /** Versions newest first (without the rules snapshots), at most `limit`. */
  async history(limit: number, kinds?: RulesVersionKind[]): Promise<Omit<RulesVersion, 'rules'>[]> {
    const qb = this.tx.manager.getRepository(RulesVersionEntity).createQueryBuilder('v').orderBy('v.id', 'DESC').limit(limit);
    if (kinds) qb.where('v.kind IN (:...kinds)', { kinds });
    const rows = await qb.getMany();
    return rows.map(({ rules: _rules, ...rest }) => rest);
  }
}
