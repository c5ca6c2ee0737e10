import { EntitySchema } from 'typeorm';
import { bool, int, intNull, ms, msNull, pk, str, strNull, text, textNull } from '../columns';

export type RewardStatusValue = 'draft' | 'on_sale' | 'paused' | 'retired';

export interface Reward {
  id: number;
  title: string;
  description: string;
  category: string;
  /** The first image, the shelf's picture ('' without images). */
  imageUrl: string;
  /** JSON array of image URLs (null on rows older than the catalogue: then imageUrl alone). */
  images: string | null;
  faceValueFen: number;
  costFen: number;
  pointsPrice: number;
  /** JSON array of price steps [{fromMs, pointsPrice}] ascending (issue 10.2), or null without a schedule. */
  priceSchedule: string | null;
  stock: number;
  minTier: string | null;
  perMemberLimit: number | null;
  startsAt: number | null;
  endsAt: number | null;
  status: RewardStatusValue;
  /** Kept in step with status (status === 'on_sale') for instances older than the catalogue. */
  active: boolean;
  sortOrder: number;
  createdAt: number;
  updatedAt: number;
}

export const RewardEntity = new EntitySchema<Reward>({
  name: 'Reward',
  tableName: 'reward',
  columns: {
    id: pk,
    title: str(100),
    description: text,
    category: str(20),
    imageUrl: { ...str(500), name: 'image_url' },
    images: textNull,
    faceValueFen: { ...int, name: 'face_value_fen' },
    costFen: { ...int, name: 'cost_fen' },
    pointsPrice: { ...int, name: 'points_price' },
    priceSchedule: { ...textNull, name: 'price_schedule' },
    stock: int,
    minTier: { ...strNull(16), name: 'min_tier' },
    perMemberLimit: { ...intNull, name: 'per_member_limit' },
    startsAt: { ...msNull, name: 'starts_at' },
    endsAt: { ...msNull, name: 'ends_at' },
    status: str(16),
    active: bool,
    sortOrder: { ...int, name: 'sort_order' },
    createdAt: { ...ms, name: 'created_at' },
    updatedAt: { ...ms, name: 'updated_at' },
  },
});

/** Every price a reward has had (issue 9: editing a price keeps the history); the newest row is the current one. */
export interface RewardPriceHistory {
  id: number;
  rewardId: number;
  pointsPrice: number;
  faceValueFen: number;
  costFen: number;
  /** Why a price outside the anchor band is right ('' otherwise). */
  reason: string;
  changedBy: string;
  changedAt: number;
}

export const RewardPriceHistoryEntity = new EntitySchema<RewardPriceHistory>({
  name: 'RewardPriceHistory',
  tableName: 'reward_price_history',
  columns: {
    id: pk,
    rewardId: { ...int, name: 'reward_id' },
    pointsPrice: { ...int, name: 'points_price' },
    faceValueFen: { ...int, name: 'face_value_fen' },
    costFen: { ...int, name: 'cost_fen' },
    reason: str(200),
    changedBy: { ...str(64), name: 'changed_by' },
    changedAt: { ...ms, name: 'changed_at' },
  },
});

export type StockMovementKind = 'initial' | 'adjust' | 'redeem' | 'redeem_cancel';

/** Every change of a reward's stock, with the stock after it: stock is always the sum of its movements. */
export interface RewardStockMovement {
  id: number;
  rewardId: number;
  delta: number;
  stockAfter: number;
  kind: StockMovementKind;
  reason: string;
  actor: string;
  createdAt: number;
}

export const RewardStockMovementEntity = new EntitySchema<RewardStockMovement>({
  name: 'RewardStockMovement',
  tableName: 'reward_stock_movement',
  columns: {
    id: pk,
    rewardId: { ...int, name: 'reward_id' },
    delta: int,
    stockAfter: { ...int, name: 'stock_after' },
    kind: str(16),
    reason: str(255),
    actor: str(64),
    createdAt: { ...ms, name: 'created_at' },
  },
});
