import { EntitySchema } from 'typeorm';
import { int, intNull, ms, msNull, pk, str, strNull } from '../columns';

/** A coupon that expired points became (issue 11.3): issued with the EXPIRE entries, used once at a till. */
export interface Coupon {
  id: number;
  memberId: number;
  /** What the clerk types or scans; unique. */
  code: string;
  /** `expiry:<memberId>:<expiresAt>`: one coupon per member and expiry date, whatever re-runs. */
  sourceKey: string;
  title: string;
  points: number;
  valueFen: number;
  minSpendFen: number;
  costFen: number;
  issuedAt: number;
  expiresAt: number;
  usedAt: number | null;
  usedStoreId: number | null;
  usedOrderNo: string | null;
  usedBy: number | null;
}

export const CouponEntity = new EntitySchema<Coupon>({
  name: 'Coupon',
  tableName: 'coupon',
  columns: {
    id: pk,
    memberId: { ...int, name: 'member_id' },
    code: str(16),
    sourceKey: { ...str(100), name: 'source_key' },
    title: str(60),
    points: int,
    valueFen: { ...int, name: 'value_fen' },
    minSpendFen: { ...int, name: 'min_spend_fen' },
    costFen: { ...int, name: 'cost_fen' },
    issuedAt: { ...ms, name: 'issued_at' },
    expiresAt: { ...ms, name: 'expires_at' },
    usedAt: { ...msNull, name: 'used_at' },
    usedStoreId: { ...intNull, name: 'used_store_id' },
    usedOrderNo: { ...strNull(64), name: 'used_order_no' },
    usedBy: { ...intNull, name: 'used_by' },
  },
});

/** A per-member shelf discount (the 7-day reminder's offer) valid until `until` (the expiry instant). */
export interface MemberOffer {
  id: number;
  memberId: number;
  kind: string;
  pct: number;
  until: number;
  sourceKey: string;
  createdAt: number;
}

export const MemberOfferEntity = new EntitySchema<MemberOffer>({
  name: 'MemberOffer',
  tableName: 'member_offer',
  columns: {
    id: pk,
    memberId: { ...int, name: 'member_id' },
    kind: str(32),
    pct: int,
    until: ms,
    sourceKey: { ...str(100), name: 'source_key' },
    createdAt: { ...ms, name: 'created_at' },
  },
});
