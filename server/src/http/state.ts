import type { Logger } from '../logger';
import type { Auth } from '../services/tokens.service';

export type { Auth };

/** Typed ctx.state for every router. */
export interface AppState {
  requestId: string;
  log: Logger;
  auth?: Auth;
  /** Refuses a member who has not accepted the current agreement (set by the app; used by mount for gated routes). */
  requireAgreement?: (memberId: number) => Promise<void>;
}
