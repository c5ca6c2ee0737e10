import { z } from 'zod';
import { staffLoginRequest, staffLoginResponse, wechatLoginRequest, wechatLoginResponse } from '../../schemas/auth';
import type { RouteSpec } from '../contract';

/** Routes anyone may call: health, the rules the client computes with, demo images, sign-in. */
export const PUBLIC_ROUTES: RouteSpec[] = [
  {
    method: 'GET',
    path: '/health',
    access: 'public',
    tag: 'meta',
    summary: 'Liveness and database reachability (used by load balancers and the container health check).',
    response: z.object({ ok: z.literal(true), db: z.enum(['sqlite', 'mysql']), wechatMode: z.enum(['dev', 'real']) }),
  },
  {
    method: 'GET',
    path: '/rules',
    access: 'public',
    tag: 'meta',
    summary: 'The rule configuration in force, so the client explains earnings with the same numbers as the server.',
    response: z.object({ rules: z.record(z.string(), z.unknown()) }),
  },
  {
    method: 'GET',
    path: '/assets/rewards/:file',
    access: 'public',
    tag: 'meta',
    summary: 'A generated SVG tile for a reward without an uploaded image.',
    params: { file: z.string().regex(/^[1-9][0-9]{0,9}\.svg$/) },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'POST',
    path: '/auth/wechat',
    access: 'public',
    tag: 'auth',
    summary: 'Member sign-in with a wx.login code (code2Session on the server; dev mode takes `dev:<openid>`).',
    body: wechatLoginRequest,
    response: wechatLoginResponse,
    example: { request: { code: 'dev:alice' } },
  },
  {
    method: 'POST',
    path: '/auth/staff',
    access: 'public',
    tag: 'auth',
    summary: 'Staff sign-in; failures are limited per username and address (429 with Retry-After).',
    body: staffLoginRequest,
    response: staffLoginResponse,
    errors: ['BAD_CREDENTIALS', 'RATE_LIMITED'],
    example: { request: { username: 'clerk-a', password: 'demo1234' } },
  },
];
