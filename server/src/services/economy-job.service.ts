import type { EconomyService } from './economy.service';
import type { ValueChangeRunResult, ValueChangesService } from './value-changes.service';

export interface EconomyTickResult {
  valueChanges: ValueChangeRunResult;
  guard: 'engaged' | 'released' | 'unchanged';
  cap: 'reached' | 'released' | 'unchanged';
}

/**
 * The points-economics job (server interval, `npm run economics`): value changes due first (their rules
 * switch and compensation), then the inflation guard and the yearly cap. Each step is idempotent and bounded.
 */
export class EconomyJobService {
  constructor(
    private readonly valueChanges: ValueChangesService,
    private readonly economy: EconomyService,
  ) {}

  async tick(opts: { actor?: string; batchesMax?: number } = {}): Promise<EconomyTickResult> {
    const valueChanges = await this.valueChanges.applyDue(opts);
    const guard = await this.economy.evaluateGuard();
    const cap = await this.economy.evaluateCap();
    return { valueChanges, guard, cap };
  }
}
