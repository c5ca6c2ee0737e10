import { Initial1732300000000 } from './1732300000000-initial';

/** Every migration, in order. Schema changes only ever land here (synchronize stays off). */
export const MIGRATIONS = [Initial1732300000000];
