import { z } from 'zod';
import { staffLoginRequest, staffLoginResponse, wechatLoginRequest, wechatLoginResponse } from '../../schemas/auth';
import type { RouteSpec } from '../contract';

/** Routes anyone may call: health, the rules the client computes with, demo images, sign-in. */
export const PUBLIC_ROUTES: RouteSpec[] = [
  {
    method: 'GET',
    path: '/',
    access: 'public',
    tag: 'meta',
    summary: 'The API version and where to go next: health, the OpenAPI document and the browsable reference.',
    response: z.object({
      name: z.literal('jifen'),
      version: z.string(),
      links: z.object({ health: z.string(), openapi: z.string(), docs: z.string(), rules: z.string() }),
    }),
    example: { response: { name: 'jifen', version: '0.1.0', links: { health: '/api/v1/health', openapi: '/api/v1/openapi.json', docs: '/api/docs', rules: '/api/v1/rules' } } },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    access: 'public',
    tag: 'meta',
    summary: 'This API as an OpenAPI 3.1 document, generated from the route table and its zod schemas (browsable at /api/docs).',
    response: z.record(z.string(), z.unknown()),
    example: { response: { openapi: '3.1.0', info: { title: 'Jifen API', version: '0.1.0' }, paths: {} } },
  },
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
    response: z.object({ rules: z.record(z.string(), z.unknown()), version: z.number().int() }),
  },
  {
    method: 'GET',
    path: '/assets/rewards/:file',
    access: 'public',
    tag: 'meta',
    summary: 'A generated SVG tile for a reward without an uploaded image.',
    params: { file: z.string().regex(/^[1-9][0-9]{0,9}\.svg$/) },
    produces: 'image/svg+xml',
    errors: ['NOT_FOUND'],
  },
  {
    method: 'POST',
    path: '/auth/wechat',
    access: 'public',
    tag: 'auth',
    summary: 'Member sign-in with a wx.login code (code2Session on the server; dev mode takes `dev:<openid>`). Attempts and new members per address are limited (429 with Retry-After).',
    body: wechatLoginRequest,
    response: wechatLoginResponse,
    errors: ['RATE_LIMITED'],
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
