import type { RulesConfig, TierRule } from '../config';
import { budgetLeft, type CampaignView } from './campaign';
import { bonusFor } from './worth';
import { guardLabel, guardedBase } from './economy';

/**
 * Earning breakdown. Every multiplier adds floor(base x (m - 1)) as its own line, so the member sees
 * exactly why they got what they got, and the lines always add up to the total.
 */
export type BreakdownKind = 'BASE' | 'GUARD' | 'TIER' | 'BIRTHDAY' | 'CAMPAIGN' | 'PLAN_CAP' | 'CAP' | 'CHECKIN_BONUS' | 'TASK';

export interface BreakdownLine {
  kind: BreakdownKind;
  label: string;
  points: number;
}

export interface Earning {
  total: number;
  lines: BreakdownLine[];
  campaignId: number | null;
  campaignBonus: number;
}

export function sumLines(lines: BreakdownLine[]): number {
  return lines.reduce((s, l) => s + l.points, 0);
}

/** Campaign bonus on a base, limited by the campaign's budget left; non-stacking campaigns replace the tier bonus when larger. */
function campaignLines(base: number, tier: TierRule, campaign: CampaignView | null): { lines: BreakdownLine[]; campaignBonus: number } {
  const tierBonus = bonusFor(base, tier.multiplierPct);
  const tierLine: BreakdownLine = { kind: 'TIER', label: `${tier.name}会员 ${pctLabel(tier.multiplierPct)}倍`, points: tierBonus };
  if (!campaign) return { lines: tierBonus > 0 ? [tierLine] : [], campaignBonus: 0 };
  const wanted = bonusFor(base, campaign.multiplierPct);
  const left = budgetLeft(campaign);
  const granted = Math.min(wanted, left);
  const campaignLine: BreakdownLine = {
    kind: 'CAMPAIGN',
    label: `${campaign.name} ${pctLabel(campaign.multiplierPct)}倍${granted < wanted ? '(活动预算已用完部分)' : ''}`,
    points: granted,
  };
  if (campaign.stacksWithTier) {
    return { lines: [...(tierBonus > 0 ? [tierLine] : []), campaignLine], campaignBonus: granted };
  }
  // Not stacking: the member gets the better of the two, never both.
  if (granted > tierBonus) return { lines: [campaignLine], campaignBonus: granted };
  return { lines: tierBonus > 0 ? [tierLine] : [], campaignBonus: 0 };
}

/** 150 -> "1.5", 200 -> "2", 125 -> "1.25" (integer arithmetic). */
export function pctLabel(pct: number): string {
  const whole = Math.floor(pct / 100);
  const frac = pct % 100;
  if (frac === 0) return `${whole}`;
  return frac % 10 === 0 ? `${whole}.${frac / 10}` : `${whole}.${frac < 10 ? '0' : ''}${frac}`;
}

/** Base purchase points: pointsPerYuan per whole yuan, floored. */
export function purchaseBase(amountFen: number, rules: Pick<RulesConfig, 'purchase'>): number {
  return Math.floor((amountFen * rules.purchase.pointsPerYuan) / 100);
}

/**
 * A purchase's points. The inflation guard (guardFactorPct < 100) takes its share off the base first (the
 * GUARD line, "积分调控 ×0.8"), and multipliers apply to what is left; when the yearly cap has stopped bonuses,
 * a campaign that would have applied is dropped with a PLAN_CAP line saying why (base points continue).
 */
export function computePurchaseEarning(input: {
  amountFen: number;
  tier: TierRule;
  birthdayMonth: boolean;
  campaign: CampaignView | null;
  rules: Pick<RulesConfig, 'purchase'>;
  guardFactorPct?: number;
  campaignStoppedByCap?: boolean;
}): Earning {
  const { rules } = input;
  const raw = purchaseBase(input.amountFen, rules);
  const lines: BreakdownLine[] = [{ kind: 'BASE', label: `消费 ${rules.purchase.pointsPerYuan} 分/元`, points: raw }];
  const factor = input.guardFactorPct ?? 100;
  const base = guardedBase(raw, factor);
  if (base < raw) lines.push({ kind: 'GUARD', label: guardLabel(factor), points: base - raw });
  if (input.campaignStoppedByCap) lines.push({ kind: 'PLAN_CAP', label: '年度积分发行已达上限,活动加赠暂停', points: 0 });
  const c = campaignLines(base, input.tier, input.campaignStoppedByCap ? null : input.campaign);
  lines.push(...c.lines);
  if (input.birthdayMonth) {
    const b = bonusFor(base, rules.purchase.birthdayMultiplierPct);
    if (b > 0) lines.push({ kind: 'BIRTHDAY', label: `生日月 ${pctLabel(rules.purchase.birthdayMultiplierPct)}倍`, points: b });
  }
  const max = rules.purchase.maxPointsPerOrder;
  const before = sumLines(lines);
  if (before <= max) return { total: before, lines, campaignId: c.campaignBonus > 0 && input.campaign ? input.campaign.id : null, campaignBonus: c.campaignBonus };
  // The cap comes off bonus first (campaign last): the campaign keeps what fits above the base, and only that
  // is booked and charged to its budget.
  const campaignBonus = Math.max(0, Math.min(c.campaignBonus, max - base));
  return {
    total: max,
    lines: capLines(lines, before - max, c.campaignBonus - campaignBonus, `单笔上限 ${max} 分`),
    campaignId: campaignBonus > 0 && input.campaign ? input.campaign.id : null,
    campaignBonus,
  };
}

/**
 * The lines after a cap cut `cut` points, `campaignCut` of them from the campaign bonus. The CAMPAIGN line then
 * shows exactly the bonus granted (the figure its own EARN_CAMPAIGN_BONUS entry books and its budget is charged;
 * no line at all when nothing is left), and the CAP line only the rest, which comes off the earning's own entry.
 * So the lines always add up to the total, and every line names points that were really booked (issue 13.2).
 */
function capLines(lines: BreakdownLine[], cut: number, campaignCut: number, capLabel: string): BreakdownLine[] {
  const out: BreakdownLine[] = [];
  for (const l of lines) {
    if (l.kind !== 'CAMPAIGN' || campaignCut === 0) out.push(l);
    else if (l.points > campaignCut) out.push({ kind: 'CAMPAIGN', label: `${l.label}(${capLabel}内)`, points: l.points - campaignCut });
  }
  if (cut > campaignCut) out.push({ kind: 'CAP', label: capLabel, points: -(cut - campaignCut) });
  return out;
}

/** Check-in points with an optional check-in-channel campaign (tier multiplier does not apply to check-ins). */
export function computeCheckinEarning(input: {
  basePoints: number;
  bonusPoints: number;
  streak: number;
  campaign: CampaignView | null;
}): Earning {
  const lines: BreakdownLine[] = [{ kind: 'BASE', label: '每日签到', points: input.basePoints }];
  if (input.bonusPoints > 0) lines.push({ kind: 'CHECKIN_BONUS', label: `连续签到第 ${input.streak} 天奖励`, points: input.bonusPoints });
  let campaignBonus = 0;
  if (input.campaign) {
    const wanted = bonusFor(input.basePoints + input.bonusPoints, input.campaign.multiplierPct);
    campaignBonus = Math.min(wanted, budgetLeft(input.campaign));
    if (campaignBonus > 0) lines.push({ kind: 'CAMPAIGN', label: `${input.campaign.name} ${pctLabel(input.campaign.multiplierPct)}倍`, points: campaignBonus });
  }
  return { total: sumLines(lines), lines, campaignId: campaignBonus > 0 && input.campaign ? input.campaign.id : null, campaignBonus };
}

/**
 * Monthly cap on non-purchase points (check-ins, tasks): grants what fits under the cap and reports the
 * capped part as its own negative line so the member sees it.
 */
export function applyMonthlyCap(earning: Earning, usedThisMonth: number, cap: number): Earning {
  const room = Math.max(0, cap - usedThisMonth);
  if (earning.total <= room) return earning;
  const cut = earning.total - room;
  const total = room;
  // The cap comes off the campaign bonus first (as with the per-order cap): base points keep priority.
  const basePart = earning.total - earning.campaignBonus;
  const campaignBonus = Math.max(0, Math.min(earning.campaignBonus, total - basePart));
  const lines = capLines(earning.lines, cut, earning.campaignBonus - campaignBonus, `每月非消费积分上限 ${cap} 分`);
  return { total, lines, campaignId: campaignBonus > 0 ? earning.campaignId : null, campaignBonus };
}

/** A task's earning (review, invite, bind card, share, survey). */
export function computeTaskEarning(label: string, points: number): Earning {
  return { total: points, lines: [{ kind: 'TASK', label, points }], campaignId: null, campaignBonus: 0 };
}
