import type { EntityManager } from 'typeorm';
import { selectCampaign, type CampaignView, type EarnContext } from '@jifen/shared';
import { CampaignEntity, type Campaign } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { WriteBatch } from '../db/write-batch';

export function toCampaignView(c: Campaign): CampaignView {
  return {
    id: c.id,
    name: c.name,
    multiplierPct: c.multiplierPct,
    startsAt: c.startsAt,
    endsAt: c.endsAt,
    tiers: c.tiers,
    storeIds: c.storeIds,
    channels: c.channels,
    stacksWithTier: c.stacksWithTier,
    budgetPoints: c.budgetPoints,
    issuedPoints: c.issuedPoints,
    endedAt: c.endedAt,
  };
}

/**
 * Picks the best campaign for an earning and charges its budget. Called inside the member's
 * transaction: the chosen campaign row is locked (after the member row: one lock order everywhere),
 * re-read, and charged only what is left, so concurrent purchases never overspend a budget.
 */
export class CampaignBudgetService {
  constructor(private readonly tx: TxRunner) {}

  async running(m: EntityManager, nowMs: number): Promise<Campaign[]> {
    return m
      .getRepository(CampaignEntity)
      .createQueryBuilder('c')
      .where('c.starts_at <= :now AND c.ends_at > :now AND c.ended_at IS NULL', { now: nowMs })
      .getMany();
  }

  /**
   * The applicable campaign, locked and fresh, or null. The choice is made on an unlocked read, so it is
   * checked again under the lock: a campaign whose budget ran out (or that was ended or edited) meanwhile
   * is passed over for the next best, so a spent campaign never yields a 0-point bonus line.
   */
  async pickLocked(m: EntityManager, ctx: EarnContext, running?: Campaign[]): Promise<CampaignView | null> {
    // `running` may be read by the caller before it locked the member (one statement less under the lock).
    let candidates = (running ?? (await this.running(m, ctx.nowMs))).map(toCampaignView);
    for (let attempt = 0; attempt < CampaignBudgetService.PICK_ATTEMPTS_MAX; attempt++) {
      const best = selectCampaign(candidates, ctx);
      if (!best) return null;
      const qb = m.getRepository(CampaignEntity).createQueryBuilder('c').where('c.id = :id', { id: best.id });
      const row = await this.tx.forUpdate(qb).getOne();
      const fresh = row ? toCampaignView(row) : null;
      if (fresh && selectCampaign([fresh], ctx)) return fresh;
      candidates = candidates.filter((c) => c.id !== best.id);
    }
    return null;
  }

  private static readonly PICK_ATTEMPTS_MAX = 5;

  /** charge(), queued in the caller's write batch (checked when the batch runs). */
  chargeInto(batch: WriteBatch, campaign: CampaignView, points: number): void {
    if (points <= 0) return;
    batch.exec('UPDATE campaign SET issued_points = issued_points + ? WHERE id = ? AND issued_points + ? <= budget_points', [Math.trunc(points), campaign.id, Math.trunc(points)], (affected) => {
      if (affected !== 1) throw new Error(`campaign ${campaign.id}: budget charge of ${points} refused`);
    });
  }

  async charge(m: EntityManager, campaign: CampaignView, points: number): Promise<void> {
    if (points <= 0) return;
    const result = await m
      .getRepository(CampaignEntity)
      .createQueryBuilder()
      .update()
      .set({ issuedPoints: () => `issued_points + ${Math.trunc(points)}` })
      .where('id = :id AND issued_points + :p <= budget_points', { id: campaign.id, p: points })
      .execute();
    if (result.affected !== 1) throw new Error(`campaign ${campaign.id}: budget charge of ${points} refused`);
  }
}
