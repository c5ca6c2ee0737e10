import { In, IsNull } from 'typeorm';
import { NOTIFICATION_PAGE_LIMIT_MAX, type NotificationDto, type NotificationPageResponse, type NotificationsReadRequest, type NotificationsReadResponse } from '@jifen/shared';
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

  /**
   * Marks the given notices of this member read (ids of other members' notices match nothing), or all of them
   * when asked explicitly; answers the exact unread count after. A write, so through the runner (see TxRunner).
   */
  async markRead(memberId: number, req: NotificationsReadRequest): Promise<NotificationsReadResponse> {
    const readAt = this.clock().getTime();
    return this.tx.run(async (m) => {
      const repo = m.getRepository(NotificationEntity);
      const where = req.all ? { memberId, readAt: IsNull() } : { memberId, readAt: IsNull(), id: In(req.ids ?? []) };
      const r = await repo.update(where, { readAt });
      const unread = await repo.count({ where: { memberId, readAt: IsNull() } });
      return { unread, marked: r.affected ?? 0 };
    });
  }
}

/** The explicit mapper: dedupe keys and member ids stay on the server. */
export function toNotificationDto(n: Notification): NotificationDto {
  return { id: n.id, kind: n.kind, title: n.title, body: n.body, createdAt: new Date(n.createdAt).toISOString(), read: n.readAt !== null };
}
