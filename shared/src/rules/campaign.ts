/** Campaign selection: which one timed multiplier applies to an earning event. Campaigns never compound. */
export type Channel = 'purchase' | 'checkin';

export interface CampaignView {
  id: number;
  name: string;
  multiplierPct: number;
  startsAt: number; // epoch ms, inclusive
  endsAt: number; // epoch ms, exclusive
  tiers: string[]; // empty = every tier
  storeIds: number[]; // empty = every store
  channels: Channel[];
  stacksWithTier: boolean;
  budgetPoints: number;
  issuedPoints: number;
  endedAt?: number | null; // ended early by marketing
}

export interface EarnContext {
  nowMs: number;
  tierCode: string;
  storeId: number | null;
  channel: Channel;
}

export function campaignApplies(c: CampaignView, ctx: EarnContext): boolean {
  if (c.endedAt != null && c.endedAt <= ctx.nowMs) return false;
  if (ctx.nowMs < c.startsAt || ctx.nowMs >= c.endsAt) return false;
  if (!c.channels.includes(ctx.channel)) return false;
  if (c.tiers.length > 0 && !c.tiers.includes(ctx.tierCode)) return false;
  if (c.storeIds.length > 0 && (ctx.storeId === null || !c.storeIds.includes(ctx.storeId))) return false;
  return true;
}

export function budgetLeft(c: CampaignView): number {
  return Math.max(0, c.budgetPoints - c.issuedPoints);
}

/** The best applicable campaign with budget left: highest multiplier, then the earliest to end, then id. */
export function selectCampaign(campaigns: CampaignView[], ctx: EarnContext): CampaignView | null {
  const candidates = campaigns.filter((c) => campaignApplies(c, ctx) && budgetLeft(c) > 0);
  candidates.sort((a, b) => b.multiplierPct - a.multiplierPct || a.endsAt - b.endsAt || a.id - b.id);
  return candidates[0] ?? null;
}
