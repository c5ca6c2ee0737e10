import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Services } from './services';
import type { Logger } from './logger';
import { errorHandler } from './http/middleware/error-handler';
import { requestId } from './http/middleware/request-id';
import { authenticate } from './http/middleware/auth';
import { memberRateLimit } from './http/middleware/member-rate-limit';
import { securityHeaders } from './http/middleware/security-headers';
import type { AppState } from './http/state';
import { authRouter } from './http/routes/auth.router';
import { meRouter } from './http/routes/me.router';
import { rewardsRouter } from './http/routes/rewards.router';
import { metaRouter } from './http/routes/meta.router';
import { assetsRouter } from './http/routes/assets.router';
import { tillRouter } from './http/routes/till.router';
import { campaignsRouter } from './http/routes/campaigns.router';
import { tasksRouter } from './http/routes/tasks.router';
import { reportsRouter } from './http/routes/reports.router';
import { apiDocsPage } from './http/api-docs';
import { openApiDocument } from './http/openapi';
import { staffAdminRouter } from './http/routes/staff-admin.router';
import { auditRouter } from './http/routes/audit.router';
import { dashboardRouter } from './http/routes/dashboard.router';
import { phoneRouter } from './http/routes/phone.router';
import { membersAdminRouter } from './http/routes/members-admin.router';
import { adjustmentsRouter } from './http/routes/adjustments.router';
import { valueChangesRouter } from './http/routes/value-changes.router';
import { rewardsAdminRouter } from './http/routes/rewards-admin.router';
import { economyRouter } from './http/routes/economy.router';
import { agreementRouter } from './http/routes/agreement.router';
import { disputesRouter } from './http/routes/disputes.router';
import { memberUploadsRouter } from './http/routes/member-uploads.router';
import { givebackRouter } from './http/routes/giveback.router';
import { tillCouponsRouter } from './http/routes/till-coupons.router';
import { noticesRouter } from './http/routes/notices.router';

const BODY_LIMIT = '64kb';
const RULES_SYNC_MS = 1000;

/**
 * Keeps this instance's rules on the version in force for reads (worth in yuan, the shelf): at most one
 * small query a second. Writes sync inside their own transaction regardless (LedgerService.lockAccount).
 */
function rulesSync(services: Services): Koa.Middleware {
  let last = -Infinity;
  return async (_ctx, next) => {
    const now = performance.now(); // an age, not a business time
    if (now - last >= RULES_SYNC_MS || services.rulesVersions.state.versionId === 0) {
      last = now;
      await services.rulesVersions.sync();
    }
    await next();
  };
}

/** The Koa app; never listens (tests drive it directly, main.ts serves it). */
export function createApp(services: Services, logger: Logger, extra: Koa.Middleware[] = []): Koa<AppState> {
  const app = new Koa<AppState>();
  // Trust X-Forwarded-For only behind a known proxy: otherwise anyone could pick their own IP and dodge
  // the per-IP login limit.
  app.proxy = services.config.trustProxy;
  // Only the last X-Forwarded-For entry (the one our proxy added) is the client: entries before it are
  // whatever the client sent, and would let it pick a fresh address per request.
  app.maxIpsCount = 1;
  // Koa's own fallback prints a plain-text stack to stderr (e.g. for a client that aborted its upload while
  // the answer was written): every line the server writes is JSON, and an aborted request is logged once.
  app.on('error', (err: unknown, ctx?: { state?: AppState; method?: string; path?: string }) => {
    if (ctx?.state?.clientGone) return;
    const code = (err as { code?: string } | null)?.code;
    const log = ctx?.state?.log ?? logger;
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
      log.warn({ event: 'response_aborted', method: ctx?.method, path: ctx?.path, code }, 'client went away before the answer was sent');
    } else {
      log.error({ err, method: ctx?.method, path: ctx?.path }, 'koa error');
    }
  });
  app.use(requestId(logger));
  app.use(securityHeaders({ hsts: services.config.trustProxy }));
  app.use(errorHandler());
  app.use(apiDocsPage(openApiDocument));
  for (const mw of extra) app.use(mw);
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: BODY_LIMIT, encoding: 'utf-8' }));
  app.use(authenticate(services.tokens, services.staff));
  app.use(memberRateLimit(services.rateLimits));
  app.use(rulesSync(services));
  // The agreement gate (issue 11 item 1): mount() calls it for routes the table marks as earning or spending.
  const requireAgreement = (memberId: number) => services.agreements.require(memberId);
  app.use((ctx, next) => {
    ctx.state.requireAgreement = requireAgreement;
    return next();
  });

  const api = new Router<AppState>({ prefix: '/api/v1' });
  for (const r of routers(services)) {
    api.use(r.routes(), r.allowedMethods());
  }
  app.use(api.routes());
  app.use(api.allowedMethods());
  return app;
}

/** Every router; each mounts routes of the shared route table (shared/src/api) and nothing else. */
export function routers(services: Services): Router<AppState>[] {
  return [
    metaRouter(services),
    assetsRouter(services),
    authRouter(services),
    meRouter(services),
    rewardsRouter(services),
    tillRouter(services),
    campaignsRouter(services),
    tasksRouter(services),
    reportsRouter(services),
    staffAdminRouter(services),
    auditRouter(services),
    dashboardRouter(services),
    phoneRouter(services),
    membersAdminRouter(services),
    adjustmentsRouter(services),
    valueChangesRouter(services),
    rewardsAdminRouter(services),
    economyRouter(services),
    agreementRouter(services),
    disputesRouter(services),
    memberUploadsRouter(services),
    givebackRouter(services),
    tillCouponsRouter(services),
    noticesRouter(services),
  ];
}
