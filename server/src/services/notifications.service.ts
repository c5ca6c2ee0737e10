import { IsNull } from 'typeorm';
import { NOTIFICATION_PAGE_LIMIT_MAX, type NotificationDto, type NotificationPageResponse } from '@jifen/shared';
import { invariant } from '../errors';
import { NotificationEntity, type Notification } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';

/**
 * The member's notices (written by the till, the expiry job, ...). Every query is scoped by member id;
 * reads page newest first by id over the (member_id, id) index.
 */
export class NotificationsService {
  constructor(private readonly tx: TxRunner, private readonly clock: Clock) {}

  async list(memberId: number, cursor: number | undefined, limit: number): Promise<NotificationPageResponse> {
    invariant(Number.isInteger(limit) && limit >= 1 && limit <= NOTIFICATION_PAGE_LIMIT_MAX, 'notification page limit within 1..50');
    const repo = this.tx.manager.getRepository(NotificationEntity);
    const qb = repo.createQueryBuilder('n').where('n.member_id = :memberId', { memberId });
    if (cursor) qb.andWhere('n.id < :cursor', { cursor });
    const rows = await qb.orderBy('n.id', 'DESC').limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const unread = await repo.count({ where: { memberId, readAt: IsNull() } });
    return {
      notifications: page.map(toNotificationDto),
      nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
      unread,
    };
  }

  /** Marks every unread notice of the member read. A write, so through the runner (see TxRunner on SQLite). */
  async markAllRead(memberId: number): Promise<{ unread: 0 }> {
    const readAt = this.clock().getTime();
    await this.tx.run((m) => m.getRepository(NotificationEntity).update({ memberId, readAt: IsNull() }, { readAt }));
    return { unread: 0 };
  }
}

/** The explicit mapper: dedupe keys and member ids stay on the server. */
export function toNotificationDto(n: Notification): NotificationDto {
  return { id: n.id, kind: n.kind, title: n.title, body: n.body, createdAt: new Date(n.createdAt).toISOString(), read: n.readAt !== null };
}
