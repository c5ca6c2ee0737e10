import type { Logger } from '../logger';

export type Auth =
  | { kind: 'member'; memberId: number }
  | { kind: 'staff'; staffId: number; role: 'clerk' | 'marketing' | 'admin'; storeId: number | null; username: string };

/** Typed ctx.state for every router. */
export interface AppState {
  requestId: string;
  log: Logger;
  auth?: Auth;
}
