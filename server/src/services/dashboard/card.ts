import type { EntityManager } from 'typeorm';
import type { DashboardCardDto, StaffRole } from '@jifen/shared';

/** What a card may use: a read-only manager, the time (injected), and today's start in the brand's zone. */
export interface CardContext {
  m: EntityManager;
  now: Date;
  timezone: string;
  /** Start of the current local day (epoch ms), for "today" counts. */
  todayStartMs: number;
  /** The local day 'YYYY-MM-DD', for links that filter by day. */
  today: string;
}

/**
 * One card of the admin dashboard: a small independent function, in its own file under ./cards, listed in
 * ./cards/index.ts. It answers its value (and may set tone, hint, link, items); a card that throws is shown as
 * unavailable and never takes the others down.
 */
export interface DashboardCard {
  key: string;
  title: string;
  /** Who sees the card on their 概览 (admin only when not said). */
  roles?: readonly StaffRole[];
  compute(ctx: CardContext): Promise<Omit<DashboardCardDto, 'key' | 'title'>>;
}
