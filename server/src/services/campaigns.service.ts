import type { EntityManager } from 'typeorm';
import {
  CAMPAIGN_LIST_MAX,
  budgetLeft,
  formatLocal,
  multiplierToPct,
  parseLocal,
  pctToMultiplier,
  type ActiveCampaignDto,
  type CampaignCreateRequest,
  type CampaignDto,
  type CampaignHistoryEntryDto,
  type CampaignPatchRequest,
  type CampaignStatus,
  type RulesConfig,
} from '@jifen/shared';
import { AppError, invariant } from '../errors';
import { CampaignEntity, CampaignHistoryEntity, StoreEntity, type Campaign } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { IdemRequest } from './idempotency.service';
import type { CampaignBudgetService } from './campaign-budget.service';
import type { IdempotencyService, Outcome } from './idempotency.service';
import type { MembersService } from './members.service';

const LOCAL_FORMAT = 'YYYY-MM-DDTHH:mm';
const HISTORY_MAX = 500;

/** A history row's snapshot: the stored campaign row right after the change (integers and epoch ms). */
type Snapshot = Campaign;
type FieldIssue = { path: string; message: string };

/** Ended = ended early by marketing, or past its end (end exclusive). Ended campaigns are read-only. */
export function campaignStatus(c: Pick<Campaign, 'startsAt' | 'endsAt' | 'endedAt'>, nowMs: number): CampaignStatus {
  if ((c.endedAt !== null && c.endedAt <= nowMs) || nowMs >= c.endsAt) return 'ended';
  return nowMs < c.startsAt ? 'scheduled' : 'running';
}

function validationFailed(issues: FieldIssue[]): AppError {
  return new AppError('VALIDATION_FAILED', issues);
}

/**
 * Marketing's campaigns: create, edit, end, with a history row for every change written in the same
 * transaction. Budget charging during earning lives in CampaignBudgetService; here an edit takes the
 * same row lock, so a budget can never be lowered below what concurrent purchases have issued.
 */
export class CampaignsService {
  constructor(
    private readonly tx: TxRunner,
    private readonly members: MembersService,
    private readonly budget: CampaignBudgetService,
    private readonly idempotency: IdempotencyService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
  ) {}

  toDto(c: Campaign, nowMs = this.clock().getTime()): CampaignDto {
    return { ...this.snapshotDto(c), budgetLeft: budgetLeft(c), status: campaignStatus(c, nowMs) };
  }

  private snapshotDto(c: Snapshot): CampaignHistoryEntryDto['snapshot'] {
    const tz = this.rules.timezone;
    return {
      id: c.id,
      name: c.name,
      multiplier: pctToMultiplier(c.multiplierPct),
      multiplierPct: c.multiplierPct,
      startsAt: new Date(c.startsAt).toISOString(),
      endsAt: new Date(c.endsAt).toISOString(),
      startsAtLocal: formatLocal(new Date(c.startsAt), tz, LOCAL_FORMAT),
      endsAtLocal: formatLocal(new Date(c.endsAt), tz, LOCAL_FORMAT),
      tiers: c.tiers,
      storeIds: c.storeIds,
      channels: c.channels,
      stacksWithTier: c.stacksWithTier,
      budgetPoints: c.budgetPoints,
      issuedPoints: c.issuedPoints,
      endedAt: c.endedAt === null ? null : new Date(c.endedAt).toISOString(),
      endedAtLocal: c.endedAt === null ? null : formatLocal(new Date(c.endedAt), tz, LOCAL_FORMAT),
      createdAt: new Date(c.createdAt).toISOString(),
      updatedAt: new Date(c.updatedAt).toISOString(),
    };
  }

  /** Newest first, by id cursor (the page starts below it). */
  async list(cursor: number | undefined, limit: number = CAMPAIGN_LIST_MAX): Promise<{ campaigns: CampaignDto[]; nextCursor: number | null }> {
    const take = Math.min(Math.max(1, limit), CAMPAIGN_LIST_MAX);
    const qb = this.tx.manager.getRepository(CampaignEntity).createQueryBuilder('c');
    if (cursor) qb.where('c.id < :cursor', { cursor });
    const rows = await qb.orderBy('c.id', 'DESC').limit(take + 1).getMany();
    const page = rows.slice(0, take);
    const nowMs = this.clock().getTime();
    return { campaigns: page.map((c) => this.toDto(c, nowMs)), nextCursor: rows.length > take ? page[page.length - 1]!.id : null };
  }

  async get(id: number): Promise<CampaignDto> {
    const c = await this.tx.manager.getRepository(CampaignEntity).findOne({ where: { id } });
    if (!c) throw new AppError('NOT_FOUND');
    return this.toDto(c);
  }

  /** Oldest first: the campaign's story, each row the campaign as it stood after that change. */
  async history(id: number): Promise<CampaignHistoryEntryDto[]> {
    const m = this.tx.manager;
    if (!(await m.getRepository(CampaignEntity).findOne({ where: { id } }))) throw new AppError('NOT_FOUND');
    const rows = await m.getRepository(CampaignHistoryEntity).find({ where: { campaignId: id }, order: { id: 'ASC' }, take: HISTORY_MAX });
    return rows.map((h) => ({
      id: h.id,
      campaignId: h.campaignId,
      action: h.action,
      snapshot: this.snapshotDto(JSON.parse(h.snapshot) as Snapshot),
      actor: h.actor,
      createdAt: new Date(h.createdAt).toISOString(),
    }));
  }

  /** With an Idempotency-Key a retried create replays the first response instead of making a twin. */
  async create(staffId: number, req: CampaignCreateRequest, idem: IdemRequest | null): Promise<Outcome<CampaignDto>> {
    const work = async (m: EntityManager) => ({ status: 201, body: await this.createIn(m, staffId, req) });
    if (idem) return this.idempotency.run(idem, async () => undefined, (m) => work(m));
    return { ...(await this.tx.run(work)), replayed: false };
  }

  private async createIn(m: EntityManager, staffId: number, req: CampaignCreateRequest): Promise<CampaignDto> {
    const now = this.clock().getTime();
    const startsAt = this.toMs(req.startsAt);
    const endsAt = this.toMs(req.endsAt);
    const issues: FieldIssue[] = [];
    if (endsAt <= startsAt) issues.push({ path: 'endsAt', message: 'endsAt must be after startsAt' });
    if (endsAt <= now) issues.push({ path: 'endsAt', message: 'endsAt must be in the future' });
    issues.push(...(await this.refIssues(m, req.tiers, req.storeIds)));
    if (issues.length > 0) throw validationFailed(issues);
    const row: Omit<Campaign, 'id'> = {
      name: req.name,
      multiplierPct: this.pct(req.multiplier),
      startsAt,
      endsAt,
      tiers: req.tiers,
      storeIds: req.storeIds,
      channels: req.channels,
      stacksWithTier: req.stacksWithTier,
      budgetPoints: req.budgetPoints,
      issuedPoints: 0,
      endedAt: null,
      createdBy: staffId,
      createdAt: now,
      updatedAt: now,
    };
    const ins = await m.getRepository(CampaignEntity).insert(row);
    const campaign = { ...row, id: Number(ins.identifiers[0]!.id) };
    await this.record(m, campaign, 'CREATE', staffId, now);
    return this.toDto(campaign, now);
  }

  /** An edit of a scheduled or running campaign; its start is fixed once it has started. */
  async update(staffId: number, id: number, req: CampaignPatchRequest): Promise<CampaignDto> {
    return this.tx.run(async (m) => {
      const now = this.clock().getTime();
      const c = await this.lock(m, id);
      if (campaignStatus(c, now) === 'ended') throw new AppError('CAMPAIGN_ENDED');
      const next: Campaign = { ...c, updatedAt: now };
      if (req.name !== undefined) next.name = req.name;
      if (req.multiplier !== undefined) next.multiplierPct = this.pct(req.multiplier);
      if (req.startsAt !== undefined) next.startsAt = this.toMs(req.startsAt);
      if (req.endsAt !== undefined) next.endsAt = this.toMs(req.endsAt);
      if (req.tiers !== undefined) next.tiers = req.tiers;
      if (req.storeIds !== undefined) next.storeIds = req.storeIds;
      if (req.channels !== undefined) next.channels = req.channels;
      if (req.stacksWithTier !== undefined) next.stacksWithTier = req.stacksWithTier;
      if (req.budgetPoints !== undefined) next.budgetPoints = req.budgetPoints;

      const issues: FieldIssue[] = [];
      if (next.startsAt !== c.startsAt && c.startsAt <= now) issues.push({ path: 'startsAt', message: 'the campaign has started; its start can no longer change' });
      if (next.endsAt <= next.startsAt) issues.push({ path: 'endsAt', message: 'endsAt must be after startsAt' });
      if (next.endsAt !== c.endsAt && next.endsAt <= now) issues.push({ path: 'endsAt', message: 'endsAt must be in the future (use end to stop a campaign now)' });
      if (next.budgetPoints < c.issuedPoints) issues.push({ path: 'budgetPoints', message: `cannot be below the ${c.issuedPoints} points already issued` });
      issues.push(...(await this.refIssues(m, req.tiers ?? [], req.storeIds ?? [])));
      if (issues.length > 0) throw validationFailed(issues);

      await m.getRepository(CampaignEntity).update(
        { id },
        {
          name: next.name,
          multiplierPct: next.multiplierPct,
          startsAt: next.startsAt,
          endsAt: next.endsAt,
          tiers: next.tiers,
          storeIds: next.storeIds,
          channels: next.channels,
          stacksWithTier: next.stacksWithTier,
          budgetPoints: next.budgetPoints,
          updatedAt: now,
        },
      );
      await this.record(m, next, 'UPDATE', staffId, now);
      return this.toDto(next, now);
    });
  }

  /** Ends a campaign now; once ended (early or by its end time) it stays read-only. */
  async end(staffId: number, id: number): Promise<CampaignDto> {
    return this.tx.run(async (m) => {
      const now = this.clock().getTime();
      const c = await this.lock(m, id);
      if (campaignStatus(c, now) === 'ended') throw new AppError('CAMPAIGN_ENDED');
      const next: Campaign = { ...c, endedAt: now, updatedAt: now };
      await m.getRepository(CampaignEntity).update({ id }, { endedAt: now, updatedAt: now });
      await this.record(m, next, 'END', staffId, now);
      return this.toDto(next, now);
    });
  }

  /**
   * The member's banner: running campaigns with budget left whose tiers include the member's, at any
   * store and on any of their channels. Ordered the way earning picks them (best first).
   */
  async activeFor(memberId: number): Promise<ActiveCampaignDto[]> {
    const m = this.tx.manager;
    const nowMs = this.clock().getTime();
    const tier = await this.members.tierOf(memberId, m);
    const running = (await this.budget.running(m, nowMs)).filter(
      (c) => campaignStatus(c, nowMs) === 'running' && budgetLeft(c) > 0 && (c.tiers.length === 0 || c.tiers.includes(tier.current.code)),
    );
    running.sort((a, b) => b.multiplierPct - a.multiplierPct || a.endsAt - b.endsAt || a.id - b.id);
    const storeIds = [...new Set(running.flatMap((c) => c.storeIds))];
    const stores = storeIds.length > 0 ? await m.getRepository(StoreEntity).createQueryBuilder('s').where('s.id IN (:...ids)', { ids: storeIds }).getMany() : [];
    const storeName = new Map(stores.map((s) => [s.id, s.name]));
    return running.map((c) => ({
      id: c.id,
      name: c.name,
      multiplier: pctToMultiplier(c.multiplierPct),
      multiplierPct: c.multiplierPct,
      endsAt: new Date(c.endsAt).toISOString(),
      endsAtLocal: formatLocal(new Date(c.endsAt), this.rules.timezone, LOCAL_FORMAT),
      channels: c.channels,
      stacksWithTier: c.stacksWithTier,
      allStores: c.storeIds.length === 0,
      stores: c.storeIds.filter((id) => storeName.has(id)).map((id) => ({ id, name: storeName.get(id)! })),
    }));
  }

  private async lock(m: EntityManager, id: number): Promise<Campaign> {
    const qb = m.getRepository(CampaignEntity).createQueryBuilder('c').where('c.id = :id', { id });
    const c = await this.tx.forUpdate(qb).getOne();
    if (!c) throw new AppError('NOT_FOUND');
    return c;
  }

  private async record(m: EntityManager, c: Campaign, action: 'CREATE' | 'UPDATE' | 'END', staffId: number, now: number): Promise<void> {
    const snapshot: Snapshot = { ...c };
    await m.getRepository(CampaignHistoryEntity).insert({ campaignId: c.id, action, snapshot: JSON.stringify(snapshot), actor: `staff:${staffId}`, createdAt: now });
  }

  /** Tier codes must exist in config, store ids in the store table. */
  private async refIssues(m: EntityManager, tiers: string[], storeIds: number[]): Promise<FieldIssue[]> {
    const issues: FieldIssue[] = [];
    const known = new Set(this.rules.tiers.map((t) => t.code));
    const unknownTiers = tiers.filter((t) => !known.has(t));
    if (unknownTiers.length > 0) issues.push({ path: 'tiers', message: `unknown tier code (known: ${[...known].join(', ')})` });
    if (storeIds.length > 0) {
      const found = await m.getRepository(StoreEntity).createQueryBuilder('s').where('s.id IN (:...ids)', { ids: storeIds }).getCount();
      if (found !== storeIds.length) issues.push({ path: 'storeIds', message: 'unknown store id' });
    }
    return issues;
  }

  /** Shanghai wall clock (rules timezone) to UTC epoch ms. */
  private toMs(local: string): number {
    const ms = parseLocal(local, this.rules.timezone).getTime();
    invariant(Number.isSafeInteger(ms), `local time ${local} parsed`);
    return ms;
  }

  private pct(multiplier: number): number {
    const pct = multiplierToPct(multiplier);
    invariant(pct !== null, 'multiplier validated by the schema');
    return pct;
  }
}
