import type { Middleware } from 'koa';
import type { AppState } from '../state';

/**
 * Security headers on every answer, API and H5 alike (issue 8 item 7). The API's JSON needs nothing from a
 * browser, so its policy allows nothing; the H5 page's policy allows only this origin's scripts, styles
 * (inline ones too: Taro's runtime injects style elements and style attributes), images (data: and blob:
 * for generated ones) and API calls. No page may frame either (clickjacking on the till). HSTS only behind
 * the TLS-terminating proxy (TRUST_PROXY=1): over plain HTTP a browser ignores it anyway. The API
 * reference page (/api/docs) sets its own stricter policy for its inline script.
 */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/**
 * The H5 page's policy. Its index.html carries one small inline script (Taro's viewport/rem set-up), allowed
 * by its hash only: the H5 site computes the hashes from the built file (h5-site.ts).
 */
export function h5Csp(_scriptHashes: readonly string[] = []): string {
  return [
    "default-src 'self'",
    // Taro's H5 links use javascript: URLs, which no hash can allow in Chromium: 'unsafe-inline' is needed
    // (and is ignored by browsers once a hash is listed, so the hashes are not listed until those links go).
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
/** The H5 policy where no built page is known (the H5 site replaces it with one naming the page's scripts). */
export const H5_CSP = h5Csp();
export const HSTS = 'max-age=31536000';

export function securityHeaders(opts: { hsts: boolean }): Middleware<AppState> {
  return async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    ctx.set('Content-Security-Policy', ctx.path.startsWith('/api/') ? API_CSP : H5_CSP);
    if (opts.hsts) ctx.set('Strict-Transport-Security', HSTS);
    await next();
  };
}
