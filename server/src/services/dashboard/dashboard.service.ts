import { localDay, startOfLocalDay, type DashboardCardDto, type StaffRole } from '@jifen/shared';
import type { TxRunner } from '../../db/transaction';
import type { Clock } from '../../clock';
import type { DashboardCard } from './card';
import { DASHBOARD_CARDS } from './cards';

/** Whether a role sees a card: the card's roles, admin only when it names none. */
export const cardFor = (card: DashboardCard, role: StaffRole): boolean => (card.roles ?? ['admin']).includes(role);

/**
 * The back-office dashboard (GET /admin/dashboard): every card of ./cards the caller's role sees, computed side
 * by side; one that fails answers value null (the page shows it as unavailable) and is reported through `onCardError`.
 */
export class DashboardService {
  constructor(
    private readonly tx: TxRunner,
    private readonly timezone: string,
    private readonly clock: Clock,
    private readonly cards: readonly DashboardCard[] = DASHBOARD_CARDS,
  ) {}

  async cardsNow(role: StaffRole = 'admin', onCardError: (key: string, e: unknown) => void = () => undefined): Promise<{ cards: DashboardCardDto[]; at: string }> {
    const now = this.clock();
    const mine = this.cards.filter((c) => cardFor(c, role));
    const today = localDay(now, this.timezone);
    const ctx = { m: this.tx.manager, now, timezone: this.timezone, today, todayStartMs: startOfLocalDay(today, this.timezone).getTime() };
    const settled = await Promise.allSettled(mine.map((c) => c.compute(ctx)));
    const cards = settled.map((r, i): DashboardCardDto => {
      const card = mine[i]!;
      if (r.status === 'fulfilled') return { key: card.key, title: card.title, ...r.value };
      onCardError(card.key, r.reason);
      return { key: card.key, title: card.title, value: null, hint: '暂时无法计算', tone: 'normal', link: null };
    });
    return { cards, at: now.toISOString() };
  }
}
