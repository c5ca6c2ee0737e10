import { EntitySchema } from 'typeorm';
import { int, ms, msNull, str } from '../columns';

/** Failed staff logins per key (username, or ip); kept in the database so every instance agrees. */
export interface LoginThrottle {
  throttleKey: string;
  failures: number;
  windowStartedAt: number;
  lockedUntil: number | null;
}

export const LoginThrottleEntity = new EntitySchema<LoginThrottle>({
  name: 'LoginThrottle',
  tableName: 'login_throttle',
  columns: {
    throttleKey: { ...str(150), primary: true, name: 'throttle_key' },
    failures: int,
    windowStartedAt: { ...ms, name: 'window_started_at' },
    lockedUntil: { ...msNull, name: 'locked_until' },
  },
});
