import { EntitySchema } from 'typeorm';
import { bool, int, intNull, ms, msNull, pk, str, strNull, text } from '../columns';

export interface Reward {
  id: number;
  title: string;
  description: string;
  imageUrl: string;
  pointsPrice: number;
  stock: number;
  minTier: string | null;
  perMemberLimit: number | null;
  startsAt: number | null;
  endsAt: number | null;
  active: boolean;
  sortOrder: number;
  createdAt: number;
}

export const RewardEntity = new EntitySchema<Reward>({
  name: 'Reward',
  tableName: 'reward',
  columns: {
    id: pk,
    title: str(100),
    description: text,
    imageUrl: { ...str(500), name: 'image_url' },
    pointsPrice: { ...int, name: 'points_price' },
    stock: int,
    minTier: { ...strNull(16), name: 'min_tier' },
    perMemberLimit: { ...intNull, name: 'per_member_limit' },
    startsAt: { ...msNull, name: 'starts_at' },
    endsAt: { ...msNull, name: 'ends_at' },
    active: bool,
    sortOrder: { ...int, name: 'sort_order' },
    createdAt: { ...ms, name: 'created_at' },
  },
});
