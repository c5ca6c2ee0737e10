import { EntitySchema } from 'typeorm';
import { int, ms, pk, str, text } from '../columns';

/** A member's review of an own order, with its text (issue 8.5); unique purchase_id: one review per order. */
export interface OrderReview {
  id: number;
  purchaseId: number;
  memberId: number;
  text: string;
  createdAt: number;
}

export const OrderReviewEntity = new EntitySchema<OrderReview>({
  name: 'OrderReview',
  tableName: 'order_review',
  columns: {
    id: pk,
    purchaseId: { ...int, name: 'purchase_id' },
    memberId: { ...int, name: 'member_id' },
    text,
    createdAt: { ...ms, name: 'created_at' },
  },
});

/** A card that earned the bind-card reward: a keyed hash of its number (never the number); unique across members. */
export interface CardBinding {
  id: number;
  cardHash: string;
  memberId: number;
  createdAt: number;
}

export const CardBindingEntity = new EntitySchema<CardBinding>({
  name: 'CardBinding',
  tableName: 'card_binding',
  columns: {
    id: pk,
    cardHash: { ...str(64), name: 'card_hash' },
    memberId: { ...int, name: 'member_id' },
    createdAt: { ...ms, name: 'created_at' },
  },
});
