import { In, type EntityManager } from 'typeorm';
import {
  LOTS_SHOWN_MAX,
  MEMBER_PAGE_LIST_MAX,
  classifyMemberQuery,
  isPending,
  isSpendable,
  lotTotals,
  maskPhone,
  memberNumber,
  pointsToFen,
  roleMay,
  type AdminLedgerPageResponse,
  type MemberDetailResponse,
  type MemberSearchResponse,
  type MemberSummaryDto,
  type RulesConfig,
  type StaffRole,
} from '@jifen/shared';
import { AppError } from '../errors';
import { LedgerEntryEntity, MemberAccountEntity, MemberEntity, NotificationEntity, PointsLotEntity, RedemptionEntity, RewardEntity, type LedgerEntry, type Member, type PointsLot } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import { toView } from './ledger.service';
import { toLedgerDto, type MembersService } from './members.service';
import { toRedemptionDto } from './rewards.service';
import { toNotificationDto } from './notifications.service';
import type { AdjustmentsService } from './adjustments.service';

type Match = MemberSummaryDto['match'];

/**
 * Member look-up and the member page for the back office (issue 9 item 3). Every search reading is served by
 * an index, never a scan: phone by uq_member_phone, member number by the primary key, openid by
 * uq_member_openid (exact matches, on the first page only), nickname prefix by ix_member_nickname_id as a
 * range, paged by (nickname, id) keyset; no q lists the newest members by primary key. The mapper masks
 * phone and openid for every role but admin.
 */
export class MemberAdminService {
  constructor(
    private readonly tx: TxRunner,
    private readonly members: MembersService,
    private readonly adjustments: AdjustmentsService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
  ) {}

  async search(q: string | undefined, cursor: number | undefined, limit: number, viewer: StaffRole): Promise<MemberSearchResponse> {
    const m = this.tx.manager;
    const repo = m.getRepository(MemberEntity);
    const found: { member: Member; match: Match }[] = [];
    let nextCursor: number | null = null;
    if (!q) {
      const qb = repo.createQueryBuilder('m');
      if (cursor) qb.where('m.id < :cursor', { cursor });
      const rows = await qb.orderBy('m.id', 'DESC').limit(limit + 1).getMany();
      for (const member of rows.slice(0, limit)) found.push({ member, match: 'recent' });
      if (rows.length > limit) nextCursor = rows[limit - 1]!.id;
    } else {
      const mq = classifyMemberQuery(q);
      const seen = new Set<number>();
      const add = (member: Member | null, match: Match) => {
        if (member && !seen.has(member.id)) {
          seen.add(member.id);
          found.push({ member, match });
        }
      };
      if (!cursor) {
        if (mq.phone) add(await repo.findOne({ where: { phone: mq.phone } }), 'phone');
        if (mq.id) add(await repo.findOne({ where: { id: mq.id } }), 'id');
        if (mq.openid) add(await repo.findOne({ where: { openid: mq.openid } }), 'openid');
      }
      if (mq.nicknamePrefix) {
        const qb = repo.createQueryBuilder('m').where("m.nickname LIKE :prefix ESCAPE '!'", { prefix: `${likeEscape(mq.nicknamePrefix)}%` });
        if (cursor) {
          const after = await repo.findOne({ where: { id: cursor }, select: { id: true, nickname: true } });
          if (after) qb.andWhere('(m.nickname > :n OR (m.nickname = :n AND m.id > :id))', { n: after.nickname, id: after.id });
        }
        const rows = await qb.orderBy('m.nickname', 'ASC').addOrderBy('m.id', 'ASC').limit(limit + 1).getMany();
        for (const member of rows.slice(0, limit)) add(member, 'nickname');
        if (rows.length > limit) nextCursor = rows[limit - 1]!.id;
      }
    }
    const balances = await this.balances(m, found.map((f) => f.member.id));
    return { members: found.map((f) => ({ ...summary(f.member, viewer, balances.get(f.member.id) ?? 0), match: f.match })), nextCursor };
  }

  async detail(memberId: number, viewer: StaffRole): Promise<MemberDetailResponse> {
    const m = this.tx.manager;
    const now = this.clock();
    const nowMs = now.getTime();
    const member = await this.members.get(memberId, m);
    const account = await m.getRepository(MemberAccountEntity).findOneOrFail({ where: { memberId } });
    const open = await m
      .getRepository(PointsLotEntity)
      .createQueryBuilder('l')
      .where('l.member_id = :memberId AND l.remaining > 0', { memberId })
      .orderBy('l.expires_at', 'ASC')
      .addOrderBy('l.id', 'ASC')
      .getMany();
    const totals = lotTotals(open.map(toView), nowMs, account.debt);
    const tier = await this.members.tiers.status(memberId, m, { year: true });
    const redemptions = await m.getRepository(RedemptionEntity).find({ where: { memberId }, order: { id: 'DESC' }, take: MEMBER_PAGE_LIST_MAX });
    const rewardIds = [...new Set(redemptions.map((r) => r.rewardId))];
    const rewards = rewardIds.length ? await m.getRepository(RewardEntity).find({ where: { id: In(rewardIds) }, select: { id: true, title: true } }) : [];
    const titles = new Map(rewards.map((r) => [r.id, r.title]));
    const notices = await m.getRepository(NotificationEntity).find({ where: { memberId }, order: { id: 'DESC' }, take: MEMBER_PAGE_LIST_MAX });
    return {
      member: { ...summary(member, viewer, account.balance), birthday: member.birthday, phoneBoundAt: member.phoneBoundAt ? new Date(member.phoneBoundAt).toISOString() : null },
      account: { balance: account.balance, available: totals.available, pending: totals.pending, debt: account.debt, worthFen: pointsToFen(Math.max(0, totals.available), this.rules.anchor) },
      tier: {
        code: tier.current.code,
        name: tier.current.name,
        qualifyingPoints: tier.qualifyingPoints,
        next: tier.next ? { code: tier.next.code, name: tier.next.name } : null,
        pointsToNext: tier.pointsToNext,
        since: new Date(tier.stored.achievedAt).toISOString(),
        reviewAt: tier.stored.reviewAt === null ? null : new Date(tier.stored.reviewAt).toISOString(),
        yearPoints: tier.yearPoints,
        keepPoints: tier.stored.reviewAt === null ? null : tier.current.minPoints,
        recorded: tier.recorded,
      },
      lots: open.slice(0, LOTS_SHOWN_MAX).map((l) => lotDto(l, nowMs)),
      ledger: await this.ledger(memberId, undefined, MEMBER_PAGE_LIST_MAX, m),
      redemptions: redemptions.map((r) => toRedemptionDto(r, titles.get(r.rewardId) ?? '')),
      notices: notices.map(toNotificationDto),
      adjustments: await this.adjustments.ofMember(memberId, MEMBER_PAGE_LIST_MAX, m),
      viewer: { role: viewer, canAdjust: roleMay(viewer, 'POST', '/admin/members/:id/adjustments'), canAllowDebt: viewer === 'admin' },
    };
  }

  /** Newest first by entry id over the (member_id, id) index. */
  async ledger(memberId: number, cursor: number | undefined, limit: number, m: EntityManager = this.tx.manager): Promise<AdminLedgerPageResponse> {
    const exists = await m.getRepository(MemberEntity).exists({ where: { id: memberId } });
    if (!exists) throw new AppError('NOT_FOUND');
    const qb = m.getRepository(LedgerEntryEntity).createQueryBuilder('e').where('e.member_id = :memberId', { memberId });
    if (cursor) qb.andWhere('e.id < :cursor', { cursor });
    const rows = await qb.orderBy('e.id', 'DESC').limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    return { entries: page.map(adminLedgerDto), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  private async balances(m: EntityManager, ids: number[]): Promise<Map<number, number>> {
    if (ids.length === 0) return new Map();
    const rows = await m.getRepository(MemberAccountEntity).find({ where: { memberId: In(ids) }, select: { memberId: true, balance: true } });
    return new Map(rows.map((r) => [r.memberId, r.balance]));
  }
}

/** LIKE with '!' as the escape character (same on MySQL and SQLite): a typed % or _ matches itself. */
function likeEscape(s: string): string {
  return s.replace(/[!%_]/g, (c) => `!${c}`);
}

function maskOpenid(openid: string): string {
  return openid.length <= 8 ? `${openid.slice(0, 2)}****` : `${openid.slice(0, 4)}****${openid.slice(-4)}`;
}

/** The one place a member's phone and openid leave the server: whole for admin, masked for everyone else. */
function summary(member: Member, viewer: StaffRole, balance: number): Omit<MemberSummaryDto, 'match'> {
  const whole = viewer === 'admin';
  return {
    id: member.id,
    number: memberNumber(member.id),
    nickname: member.nickname,
    phone: member.phone === null ? null : whole ? member.phone : maskPhone(member.phone),
    openid: whole ? member.openid : maskOpenid(member.openid),
    balance,
    createdAt: new Date(member.createdAt).toISOString(),
  };
}

function lotDto(l: PointsLot, nowMs: number) {
  const v = toView(l);
  const state = isSpendable(v, nowMs) ? ('active' as const) : isPending(v, nowMs) ? ('pending' as const) : ('expired' as const);
  const iso = (ms: number) => new Date(ms).toISOString();
  return { id: l.id, amount: l.amount, remaining: l.remaining, earnedAt: iso(l.earnedAt), activatesAt: iso(l.activatesAt), expiresAt: iso(l.expiresAt), state, refType: l.refType };
}

function adminLedgerDto(e: LedgerEntry) {
  return { ...toLedgerDto(e), actor: e.actor };
}
