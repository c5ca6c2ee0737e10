import { EntitySchema } from 'typeorm';
import { bool, int, ms, msNull, pk, str } from '../columns';

export interface Campaign {
  id: number;
  name: string;
  multiplierPct: number;
  startsAt: number;
  endsAt: number;
  tiers: string[];
  storeIds: number[];
  channels: ('purchase' | 'checkin')[];
  stacksWithTier: boolean;
  budgetPoints: number;
  issuedPoints: number;
  endedAt: number | null;
  createdBy: number;
  createdAt: number;
  updatedAt: number;
}

export const CampaignEntity = new EntitySchema<Campaign>({
  name: 'Campaign',
  tableName: 'campaign',
  columns: {
    id: pk,
    name: str(100),
    multiplierPct: { ...int, name: 'multiplier_pct' },
    startsAt: { ...ms, name: 'starts_at' },
    endsAt: { ...ms, name: 'ends_at' },
    tiers: { type: 'simple-json' },
    storeIds: { type: 'simple-json', name: 'store_ids' },
    channels: { type: 'simple-json' },
    stacksWithTier: { ...bool, name: 'stacks_with_tier' },
    budgetPoints: { ...int, name: 'budget_points' },
    issuedPoints: { ...int, name: 'issued_points' },
    endedAt: { ...msNull, name: 'ended_at' },
    createdBy: { ...int, name: 'created_by' },
    createdAt: { ...ms, name: 'created_at' },
    updatedAt: { ...ms, name: 'updated_at' },
  },
});

export interface CampaignHistory {
  id: number;
  campaignId: number;
  action: 'CREATE' | 'UPDATE' | 'END';
  snapshot: string;
  actor: string;
  createdAt: number;
}

export const CampaignHistoryEntity = new EntitySchema<CampaignHistory>({
  name: 'CampaignHistory',
  tableName: 'campaign_history',
  columns: {
    id: pk,
    campaignId: { ...int, name: 'campaign_id' },
    action: str(16),
    snapshot: { type: 'text' },
    actor: str(64),
    createdAt: { ...ms, name: 'created_at' },
  },
});
