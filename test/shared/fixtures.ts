/** Shared fixtures for the rule table tests: the default rules, parsed exactly as the server parses them. */
import rulesJson from '../../config/rules.json';
import { rulesConfigSchema, type RulesConfig, type TierRule } from '../../shared/src/config';
import type { CampaignView } from '../../shared/src/rules/campaign';

export const rules: RulesConfig = rulesConfigSchema.parse(rulesJson);
export const TZ = rules.timezone; // 'Asia/Shanghai'

export function tier(code: 'bronze' | 'silver' | 'gold'): TierRule {
  const t = rules.tiers.find((x) => x.code === code);
  if (!t) throw new Error(`no tier ${code}`);
  return t;
}

/** An ISO instant as a Date; every test names its instants in UTC ('Z') so the zone math is explicit. */
export const at = (iso: string): Date => new Date(iso);
export const ms = (iso: string): number => Date.parse(iso);

/** A campaign that applies to everything, all the time, with plenty of budget; override what a case needs. */
export function campaign(over: Partial<CampaignView> = {}): CampaignView {
  return {
    id: 1,
    name: '双倍积分',
    multiplierPct: 200,
    startsAt: ms('2026-06-01T00:00:00Z'),
    endsAt: ms('2026-07-01T00:00:00Z'),
    tiers: [],
    storeIds: [],
    channels: ['purchase', 'checkin'],
    stacksWithTier: true,
    budgetPoints: 2_000_000,
    issuedPoints: 0,
    endedAt: null,
    ...over,
  };
}
