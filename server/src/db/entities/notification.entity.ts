import { EntitySchema } from 'typeorm';
import { int, ms, msNull, pk, str, strNull } from '../columns';

/** WeChat delivery of a notice (the outbox, issue 11.5); 'none' = from before the outbox, never sent. */
export type WxState = 'none' | 'pending' | 'claimed' | 'reclaimed' | 'sending' | 'sent' | 'skipped' | 'no_consent' | 'failed' | 'uncertain';

export interface Notification {
  id: number;
  memberId: number;
  kind: string;
  title: string;
  body: string;
  dedupeKey: string | null;
  createdAt: number;
  readAt: number | null;
  wxState: WxState;
  wxClaimBy: string | null;
  wxClaimUntil: number | null;
  wxAttempts: number;
  wxNextAt: number | null;
  wxDoneAt: number | null;
  wxError: string | null;
}

export const NotificationEntity = new EntitySchema<Notification>({
  name: 'Notification',
  tableName: 'notification',
  columns: {
    id: pk,
    memberId: { ...int, name: 'member_id' },
    kind: str(32),
    title: str(100),
    body: str(500),
    dedupeKey: { ...strNull(100), name: 'dedupe_key' },
    createdAt: { ...ms, name: 'created_at' },
    readAt: { ...msNull, name: 'read_at' },
    wxState: { ...str(16), name: 'wx_state', default: 'pending' },
    wxClaimBy: { ...strNull(40), name: 'wx_claim_by' },
    wxClaimUntil: { ...msNull, name: 'wx_claim_until' },
    wxAttempts: { ...int, name: 'wx_attempts', default: 0 },
    wxNextAt: { ...msNull, name: 'wx_next_at' },
    wxDoneAt: { ...msNull, name: 'wx_done_at' },
    wxError: { ...strNull(100), name: 'wx_error' },
  },
});

/** One-time subscribe-message consents a member gave for a template: each accept allows one message. */
export interface WxConsent {
  id: number;
  memberId: number;
  templateId: string;
  remaining: number;
  acceptedTotal: number;
  updatedAt: number;
}

export const WxConsentEntity = new EntitySchema<WxConsent>({
  name: 'WxConsent',
  tableName: 'wx_consent',
  columns: {
    id: pk,
    memberId: { ...int, name: 'member_id' },
    templateId: { ...str(64), name: 'template_id' },
    remaining: int,
    acceptedTotal: { ...int, name: 'accepted_total' },
    updatedAt: { ...ms, name: 'updated_at' },
  },
});
