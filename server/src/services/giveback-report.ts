import type { EntityManager } from 'typeorm';
import type { HealthReportResponse, RulesConfig } from '@jifen/shared';

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** The health report's giveback section: a few aggregates over coupons and DONATE entries (see the schema). */
/**
 * `donations`: the points donated in the range and all time, from the ledger's daily rollups (the caller has
 * them); the donors are counted from the charity's entries (ref_type 'charity', by its index), never a ledger scan.
 */
export async function givebackFigures(
  m: EntityManager,
  startMs: number,
  endMs: number,
  nowMs: number,
  rules: RulesConfig,
  donations: { donated: number; pool: number },
): Promise<HealthReportResponse['giveback']> {
  const q = (sql: string, params: unknown[]) => m.query(sql, params) as Promise<Row[]>;
  const [c] = await q(
    `SELECT COALESCE(SUM(CASE WHEN issued_at >= ? AND issued_at < ? THEN 1 ELSE 0 END), 0) AS issued,
            COALESCE(SUM(CASE WHEN issued_at >= ? AND issued_at < ? THEN value_fen ELSE 0 END), 0) AS issued_value,
            COALESCE(SUM(CASE WHEN used_at >= ? AND used_at < ? THEN 1 ELSE 0 END), 0) AS used,
            COALESCE(SUM(CASE WHEN used_at >= ? AND used_at < ? THEN value_fen ELSE 0 END), 0) AS used_value,
            COALESCE(SUM(CASE WHEN used_at >= ? AND used_at < ? THEN cost_fen ELSE 0 END), 0) AS used_cost,
            COALESCE(SUM(CASE WHEN used_at IS NULL AND expires_at >= ? AND expires_at < ? AND expires_at <= ? THEN 1 ELSE 0 END), 0) AS lapsed,
            COALESCE(SUM(CASE WHEN used_at IS NULL AND expires_at >= ? AND expires_at < ? AND expires_at <= ? THEN value_fen ELSE 0 END), 0) AS lapsed_value,
            COALESCE(SUM(CASE WHEN used_at IS NULL AND expires_at > ? THEN 1 ELSE 0 END), 0) AS outstanding
       FROM coupon`,
    [startMs, endMs, startMs, endMs, startMs, endMs, startMs, endMs, startMs, endMs, startMs, endMs, nowMs, startMs, endMs, nowMs, nowMs],
  );
  const [d] = await q(
    `SELECT COUNT(DISTINCT member_id) AS donors FROM ledger_entry
      WHERE ref_type = 'charity' AND code = 'DONATE' AND created_at >= ? AND created_at < ?`,
    [startMs, endMs],
  );
  return {
    coupons: {
      issued: num(c?.issued),
      issuedValueFen: num(c?.issued_value),
      used: num(c?.used),
      usedValueFen: num(c?.used_value),
      usedCostFen: num(c?.used_cost),
      lapsed: num(c?.lapsed),
      lapsedValueFen: num(c?.lapsed_value),
      outstanding: num(c?.outstanding),
    },
    charity: { name: rules.charity.name, donatedPoints: donations.donated, donors: num(d?.donors), poolPoints: donations.pool },
  };
}
