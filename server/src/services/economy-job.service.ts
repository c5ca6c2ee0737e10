import type { RulesConfig } from '@jifen/shared';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { AuditService } from './audit.service';
import type { EconomyService } from './economy.service';
import { retireDueBelowCost } from './reward-pricing';
import type { ValueChangeRunResult, ValueChangesService } from './value-changes.service';

export interface EconomyTickResult {
  valueChanges: ValueChangeRunResult;
  /** Rewards retired by this run because their price in force fell below cost (issue 10.2). */
  retiredBelowCost: number;
  guard: 'engaged' | 'released' | 'unchanged';
  cap: 'reached' | 'released' | 'unchanged';
}

/**
 * The points-economics job (server interval, `npm run economics`): value changes due first (their rules
 * switch and compensation), then rewards whose price in force is now below cost are retired (a step that
 * applied today, or an anchor just changed), then the inflation guard and the yearly cap. Each step is
 * idempotent and bounded.
 */
export class EconomyJobService {
  constructor(
    private readonly valueChanges: ValueChangesService,
    private readonly economy: EconomyService,
    private readonly pricing: { tx: TxRunner; audit: AuditService; rules: RulesConfig; clock: Clock },
  ) {}

  async tick(opts: { actor?: string; batchesMax?: number } = {}): Promise<EconomyTickResult> {
    const valueChanges = await this.valueChanges.applyDue(opts);
    const p = this.pricing;
    const retiredBelowCost = await retireDueBelowCost(p.tx, p.audit, p.rules, p.clock().getTime());
    const guard = await this.economy.evaluateGuard();
    const cap = await this.economy.evaluateCap();
    return { valueChanges, retiredBelowCost, guard, cap };
  }
}
