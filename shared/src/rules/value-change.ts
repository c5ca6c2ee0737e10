import { rulesConfigSchema, describeIssues, type RulesConfig } from '../config';
import { formatYuan, pointsToFen } from './worth';
import { pctLabel } from './earn';

/**
 * Value changes (issue 10.5): a partial of config/rules.json merged over the rules in force, described in
 * plain words for members, and the compensation that restores what a balance was worth.
 */
export type RulesPatch = Partial<{ [K in keyof RulesConfig]: unknown }>;

/** Keys a value change may touch: the ones that change what points are worth or how they are earned and kept. */
export const VALUE_CHANGE_KEYS = ['anchor', 'purchase', 'tiers', 'checkin', 'tasks', 'nonPurchaseMonthlyCap', 'expiry'] as const;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; arrays and scalars replace (a new tier list replaces the old one whole). */
export function deepMerge<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : (patch as T));
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = k in base ? deepMerge((base as Record<string, unknown>)[k], v) : v;
  return out as T;
}

/** The rules after a patch, validated as a whole; { ok: false, message } names the bad key. */
export function applyRulesPatch(current: RulesConfig, patch: RulesPatch): { ok: true; rules: RulesConfig } | { ok: false; message: string } {
  for (const k of Object.keys(patch)) {
    if (!(VALUE_CHANGE_KEYS as readonly string[]).includes(k)) return { ok: false, message: `${k}: not a key a value change may set (${VALUE_CHANGE_KEYS.join(', ')})` };
  }
  const parsed = rulesConfigSchema.safeParse(deepMerge(current, patch));
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
  return { ok: true, rules: parsed.data };
}

/** One line per thing that changes, in the words a member reads on the home page. */
export function describeRuleChanges(before: RulesConfig, after: RulesConfig): string[] {
  const lines: string[] = [];
  const worth = (r: RulesConfig) => `${r.anchor.points} 积分 = ¥${formatYuan(r.anchor.fen)}`;
  if (before.anchor.points !== after.anchor.points || before.anchor.fen !== after.anchor.fen) lines.push(`积分价值:${worth(before)} → ${worth(after)}`);
  if (before.purchase.pointsPerYuan !== after.purchase.pointsPerYuan) lines.push(`消费积分:每元 ${before.purchase.pointsPerYuan} 分 → 每元 ${after.purchase.pointsPerYuan} 分`);
  if (before.purchase.birthdayMultiplierPct !== after.purchase.birthdayMultiplierPct) {
    lines.push(`生日月倍数:${pctLabel(before.purchase.birthdayMultiplierPct)} 倍 → ${pctLabel(after.purchase.birthdayMultiplierPct)} 倍`);
  }
  for (const t of after.tiers) {
    const old = before.tiers.find((b) => b.code === t.code);
    if (!old) lines.push(`新增等级 ${t.name}:${t.minPoints} 分起,${pctLabel(t.multiplierPct)} 倍`);
    else if (old.multiplierPct !== t.multiplierPct || old.minPoints !== t.minPoints) {
      lines.push(`${t.name}会员:${old.minPoints} 分起 ${pctLabel(old.multiplierPct)} 倍 → ${t.minPoints} 分起 ${pctLabel(t.multiplierPct)} 倍`);
    }
  }
  const expiry = (r: RulesConfig) => (r.expiry.policy === 'yearly' ? '每年年底清零上一年积分' : `获得后 ${r.expiry.days} 天过期`);
  if (expiry(before) !== expiry(after)) lines.push(`有效期:${expiry(before)} → ${expiry(after)}`);
  if (JSON.stringify(before.checkin) !== JSON.stringify(after.checkin)) lines.push(`签到:每日 ${before.checkin.points} 分 → 每日 ${after.checkin.points} 分`);
  if (JSON.stringify(before.tasks) !== JSON.stringify(after.tasks)) lines.push('任务积分调整');
  if (before.nonPurchaseMonthlyCap !== after.nonPurchaseMonthlyCap) lines.push(`每月非消费积分上限:${before.nonPurchaseMonthlyCap} → ${after.nonPurchaseMonthlyCap} 分`);
  return lines;
}

export type CompensationPolicy = { mode: 'restore' } | { mode: 'percent'; percent: number };

/** Integer ceiling of a / b for non-negative BigInts. */
function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - BigInt(1)) / b;
}

/**
 * Points credited to a balance when a change takes effect, rounded up (in the member's favour):
 * - restore: the fewest points that make (balance + points) worth at least what balance was worth before,
 *   worth meaning the exact value at the anchor (points × fen / points); 0 when the anchor does not fall;
 * - percent: ceil(balance × percent / 100).
 * Nothing for a balance of zero or less (a member in debt has nothing to lose in value).
 */
export function compensationFor(balance: number, before: RulesConfig['anchor'], after: RulesConfig['anchor'], policy: CompensationPolicy): number {
  if (balance <= 0) return 0;
  const b = BigInt(balance);
  if (policy.mode === 'percent') return Number(ceilDiv(b * BigInt(policy.percent), BigInt(100)));
  // needed = ceil(balance × before.fen × after.points / (before.points × after.fen))
  const needed = ceilDiv(b * BigInt(before.fen) * BigInt(after.points), BigInt(before.points) * BigInt(after.fen));
  return Math.max(0, Number(needed) - balance);
}

/** Liability in fen of a total of points at an anchor (floored, like every worth). */
export function liabilityFen(points: number, anchor: RulesConfig['anchor']): number {
  return pointsToFen(Math.max(0, points), anchor);
}
