import { EntitySchema } from 'typeorm';
import { int, ms, msNull, pk, str, strNull } from '../columns';

export interface Notification {
  id: number;
  memberId: number;
  kind: string;
  title: string;
  body: string;
  dedupeKey: string | null;
  createdAt: number;
  readAt: number | null;
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
  },
});
