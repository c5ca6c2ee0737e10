import type { EntityManager } from 'typeorm';
import {
  AGREEMENT_KINDS,
  agreementSatisfied,
  type AgreementAcceptResponse,
  type AgreementDocumentDto,
  type AgreementDocumentsResponse,
  type AgreementKind,
  type AgreementResponse,
  type AgreementVersions,
  type RulesConfig,
} from '@jifen/shared';
import { AppError, invariant } from '../errors';
import { AgreementAcceptanceEntity, AgreementDocumentEntity, LedgerEntryEntity, type AgreementAcceptance, type AgreementDocument } from '../db/entities';
import { isUniqueViolation, type TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { LedgerService } from './ledger.service';
import { MemberTiers } from './member-tier';
import type { Actor, AuditService } from './audit.service';
import { notifyAllMembers } from './outbox';

/** The welcome gift's ledger reference: (ref_type 'welcome', ref_id member id), at most one per member. */
export const WELCOME_REF = 'welcome';
/** Versions listed per kind in the back office (old ones stay in the table). */
const VERSIONS_LISTED_MAX = 50;

export interface PublishInput {
  kind: AgreementKind;
  title: string;
  body: string;
}

/**
 * The agreement at registration (issue 11 item 1). The current documents are the highest version of each
 * kind; a member may earn or spend (routes gated in shared/src/api/routes/agreement.ts) once their latest
 * acceptance covers both. The first acceptance credits the welcome gift (rules.welcome.giftPoints) in the same
 * transaction, exactly once per member: the gift is looked for under the member's account lock.
 */
export class AgreementsService {
  constructor(
    private readonly tx: TxRunner,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
  ) {
    this.tiers = new MemberTiers(tx, rules, clock);
  }

  /** The welcome gift qualifies (EARN_TASK): a configured gift big enough lifts the tier at once (保级). */
  private readonly tiers: MemberTiers;

  /** Refuses with AGREEMENT_REQUIRED unless the member accepted the current documents (the route gate). */
  async require(memberId: number): Promise<void> {
    // One statement (it runs before every earn and spend, issue 14.1): the current versions and the latest acceptance.
    const [row] = (await this.tx.manager.query(
      `SELECT (SELECT MAX(d.version) FROM agreement_document d WHERE d.kind = 'terms') AS terms,
              (SELECT MAX(d.version) FROM agreement_document d WHERE d.kind = 'privacy') AS privacy,
              (SELECT a.terms_version FROM agreement_acceptance a WHERE a.member_id = ? ORDER BY a.id DESC LIMIT 1) AS a_terms,
              (SELECT a.privacy_version FROM agreement_acceptance a WHERE a.member_id = ? ORDER BY a.id DESC LIMIT 1) AS a_privacy`,
      [memberId, memberId],
    )) as { terms: unknown; privacy: unknown; a_terms: unknown; a_privacy: unknown }[];
    const current = { terms: Number(row?.terms ?? 0), privacy: Number(row?.privacy ?? 0) };
    const accepted = row?.a_terms === null || row?.a_terms === undefined ? null : { terms: Number(row.a_terms), privacy: Number(row.a_privacy) };
    if (!agreementSatisfied(current, accepted)) {
      throw new AppError('AGREEMENT_REQUIRED', { version: current.terms, privacyVersion: current.privacy, acceptedVersion: accepted?.terms ?? null });
    }
  }

  async forMember(memberId: number): Promise<AgreementResponse> {
    const m = this.tx.manager;
    const [terms, privacy, accepted, gifted] = await Promise.all([this.current(m, 'terms'), this.current(m, 'privacy'), this.latestAcceptance(m, memberId), this.gifted(m, memberId)]);
    const current = { terms: terms?.version ?? 0, privacy: privacy?.version ?? 0 };
    return {
      version: current.terms,
      title: terms?.title ?? '',
      body: terms?.body ?? '',
      acceptedVersion: accepted?.termsVersion ?? null,
      privacy: { version: current.privacy, title: privacy?.title ?? '', body: privacy?.body ?? '', acceptedVersion: accepted?.privacyVersion ?? null },
      required: !agreementSatisfied(current, accepted && { terms: accepted.termsVersion, privacy: accepted.privacyVersion }),
      welcomeGiftPoints: gifted ? 0 : this.rules.welcome.giftPoints,
    };
  }

  /**
   * Records the acceptance of exactly the current versions (a stale screen gets AGREEMENT_OUTDATED, nothing
   * written) with time and address, and credits the welcome gift if this member never had it. A repeat is
   * answered as the first time, with giftPoints 0.
   */
  async accept(memberId: number, input: { version: number; privacyVersion: number }, ip: string | null): Promise<AgreementAcceptResponse> {
    try {
      return await this.tx.run((m) => this.acceptLocked(m, memberId, input, ip, { gift: true }));
    } catch (e) {
      // Two first acceptances at once on MySQL: the other one wrote the row (and the gift, under the lock).
      if (!isUniqueViolation(e)) throw e;
      return this.tx.run((m) => this.acceptLocked(m, memberId, input, ip, { gift: true }));
    }
  }

  /** The demo seed: members who accepted the current documents before the gift existed (no gift). */
  async seedAccepted(memberId: number): Promise<void> {
    const current = await this.currentVersions(this.tx.manager);
    await this.tx.run((m) => this.acceptLocked(m, memberId, { version: current.terms, privacyVersion: current.privacy }, null, { gift: false }));
  }

  private async acceptLocked(m: EntityManager, memberId: number, input: { version: number; privacyVersion: number }, ip: string | null, opts: { gift: boolean }): Promise<AgreementAcceptResponse> {
    const account = await this.ledger.lockAccount(m, memberId);
    const current = await this.currentVersions(m);
    if (input.version !== current.terms || input.privacyVersion !== current.privacy) {
      throw new AppError('AGREEMENT_OUTDATED', { version: current.terms, privacyVersion: current.privacy });
    }
    const repo = m.getRepository(AgreementAcceptanceEntity);
    let row = await repo.findOne({ where: { memberId, termsVersion: current.terms, privacyVersion: current.privacy } });
    let giftPoints = 0;
    if (!row) {
      const fresh = { memberId, termsVersion: current.terms, privacyVersion: current.privacy, ip: ip ? ip.slice(0, 64) : null, acceptedAt: this.clock().getTime() };
      const ins = await repo.insert(fresh);
      row = { ...fresh, id: Number(ins.identifiers[0]!.id) };
      const gift = this.rules.welcome.giftPoints;
      if (opts.gift && gift > 0 && !(await this.gifted(m, memberId))) {
        await this.ledger.credit(m, account, gift, { code: 'EARN_TASK', reason: '新会员欢迎礼', actor: `member:${memberId}`, refType: WELCOME_REF, refId: String(memberId), breakdown: [{ kind: 'TASK', label: '新会员欢迎礼', points: gift }] });
        giftPoints = gift;
        await this.tiers.afterEarn(m, memberId);
      }
    }
    return { acceptedVersion: row.termsVersion, privacyVersion: row.privacyVersion, acceptedAt: new Date(row.acceptedAt).toISOString(), giftPoints, balance: account.balance };
  }

  // ---- back office --------------------------------------------------------------------------------

  async list(): Promise<AgreementDocumentsResponse> {
    const m = this.tx.manager;
    const documents: AgreementDocumentDto[] = [];
    for (const kind of AGREEMENT_KINDS) {
      const rows = await m.getRepository(AgreementDocumentEntity).find({ where: { kind }, order: { version: 'DESC' }, take: VERSIONS_LISTED_MAX });
      for (const d of rows) documents.push(toDocumentDto(d, await this.acceptedCount(m, d)));
    }
    return { documents };
  }

  /** A new version: the next number of its kind, a new row; audited; announced to every member. Members are asked again from now on. */
  async publish(input: PublishInput, actor: Actor): Promise<{ document: AgreementDocumentDto }> {
    invariant(actor.staffId !== null, 'documents are published by staff');
    try {
      return await this.tx.run(async (m) => {
        const latest = await this.current(m, input.kind);
        const row = { kind: input.kind, version: (latest?.version ?? 0) + 1, title: input.title, body: input.body, createdBy: actor.staffId, createdName: actor.username.slice(0, 64), createdAt: this.clock().getTime() };
        const ins = await m.getRepository(AgreementDocumentEntity).insert(row);
        const doc: AgreementDocument = { ...row, id: Number(ins.identifiers[0]!.id) };
        // Every member hears of it now, in one statement, not only when they next open the app (which asks again).
        const label = input.kind === 'terms' ? '积分服务协议' : '隐私政策';
        await notifyAllMembers(m, { kind: 'AGREEMENT_UPDATED', title: `${label}已更新`, body: `《${doc.title}》已更新为第 ${doc.version} 版,下次打开小程序时请阅读并确认;确认前积分的获得与使用将暂停。` }, row.createdAt);
        await this.audit.record(m, actor, { action: 'agreement.publish', targetType: 'agreement', targetId: doc.id, before: latest ? { kind: latest.kind, version: latest.version, title: latest.title } : null, after: { kind: doc.kind, version: doc.version, title: doc.title, bodyChars: [...doc.body].length } });
        return { document: toDocumentDto(doc, 0) };
      });
    } catch (e) {
      // Two admins publishing at once: the unique (kind, version) index lets one win; the other says so.
      if (isUniqueViolation(e)) throw new AppError('AGREEMENT_VERSION_TAKEN');
      throw e;
    }
  }

  // ---- reads --------------------------------------------------------------------------------------

  private current(m: EntityManager, kind: AgreementKind): Promise<AgreementDocument | null> {
    return m.getRepository(AgreementDocumentEntity).findOne({ where: { kind }, order: { version: 'DESC' } });
  }

  async currentVersions(m: EntityManager = this.tx.manager): Promise<AgreementVersions> {
    const rows = await m
      .getRepository(AgreementDocumentEntity)
      .createQueryBuilder('d')
      .select('d.kind', 'kind')
      .addSelect('MAX(d.version)', 'version')
      .groupBy('d.kind')
      .getRawMany<{ kind: string; version: string | number }>();
    const v = (k: AgreementKind) => Number(rows.find((r) => r.kind === k)?.version ?? 0);
    return { terms: v('terms'), privacy: v('privacy') };
  }

  private latestAcceptance(m: EntityManager, memberId: number): Promise<AgreementAcceptance | null> {
    return m.getRepository(AgreementAcceptanceEntity).findOne({ where: { memberId }, order: { id: 'DESC' } });
  }

  private async gifted(m: EntityManager, memberId: number): Promise<boolean> {
    return (await m.getRepository(LedgerEntryEntity).count({ where: { refType: WELCOME_REF, refId: String(memberId) } })) > 0;
  }

  private async acceptedCount(m: EntityManager, d: AgreementDocument): Promise<number> {
    const col = d.kind === 'terms' ? 'terms_version' : 'privacy_version';
    const r = await m.getRepository(AgreementAcceptanceEntity).createQueryBuilder('a').select('COUNT(DISTINCT a.member_id)', 'n').where(`a.${col} = :v`, { v: d.version }).getRawOne<{ n: string | number }>();
    return Number(r?.n ?? 0);
  }
}

/** The explicit mapper. */
export function toDocumentDto(d: AgreementDocument, acceptedCount: number): AgreementDocumentDto {
  return { id: d.id, kind: d.kind, version: d.version, title: d.title, body: d.body, createdBy: d.createdName, createdAt: new Date(d.createdAt).toISOString(), acceptedCount };
}
