import { EntitySchema } from 'typeorm';
import { int, ms, msNull, str, strNull } from '../columns';

/**
 * The member's stored tier (保级, issue 11.4), one row per member: the tier held, when it was reached, the
 * start of its tier year (qualifying points after this count for keeping it) and its anniversary (null for
 * the base tier). `warnedFor` is the anniversary the 30-day warning was sent for (once per tier year);
 * `prev_*` is the tier before the last upgrade, until the next review settles it. `version` guards every change (a review and an upgrade never both apply to the same row state).
 */
export interface MemberTier {
  memberId: number;
  code: string;
  achievedAt: number;
  yearFrom: number;
  reviewAt: number | null;
  warnedFor: number | null;
  /** The tier held before the last upgrade (restored when a refund takes back the points that lifted it). */
  prevCode: string | null;
  prevAchievedAt: number | null;
  prevYearFrom: number | null;
  prevReviewAt: number | null;
  version: number;
  updatedAt: number;
}

export const MemberTierEntity = new EntitySchema<MemberTier>({
  name: 'MemberTier',
  tableName: 'member_tier',
  columns: {
    memberId: { type: 'int', primary: true, name: 'member_id' },
    code: str(16),
    achievedAt: { ...ms, name: 'achieved_at' },
    yearFrom: { ...ms, name: 'year_from' },
    reviewAt: { ...msNull, name: 'review_at' },
    warnedFor: { ...msNull, name: 'warned_for' },
    prevCode: { ...strNull(16), name: 'prev_code' },
    prevAchievedAt: { ...msNull, name: 'prev_achieved_at' },
    prevYearFrom: { ...msNull, name: 'prev_year_from' },
    prevReviewAt: { ...msNull, name: 'prev_review_at' },
    version: int,
    updatedAt: { ...ms, name: 'updated_at' },
  },
});
