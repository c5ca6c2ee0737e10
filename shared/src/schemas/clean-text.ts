import { z } from 'zod';

/**
 * Text typed by staff (names, store names, reasons) is shown to other staff and members, and written to
 * the audit trail: control characters (C0, DEL, C1), bidi embeddings/overrides/isolates and marks, and
 * invisible zero-width spaces are removed, so a name can neither hide text nor reorder what is around it
 * (issue 8 item 7). ZWJ/ZWNJ stay: emoji and some scripts need them.
 * Used by every staff-typed text: staff display names, store names, campaign names, adjustment reasons and
 * decision notes, import file names (and the reasons inside an imported CSV).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
// eslint-disable-next-line no-control-regex
const LINE_BREAKS_TABS = /[\t\n\r]/g;

/** Removes unsafe characters; single-line text also loses tabs and line breaks (turned into spaces), then is trimmed. */
export function stripUnsafeText(s: string, opts: { multiline?: boolean } = {}): string {
  let out = s.replace(UNSAFE, '');
  if (!opts.multiline) out = out.replace(LINE_BREAKS_TABS, ' ');
  return out.trim();
}

/** A staff-typed text field: cleaned as above, then min..max characters (code points). */
export function cleanText(opts: { min?: number; max: number; multiline?: boolean }) {
  const min = opts.min ?? 1;
  return z
    .string()
    .max(opts.max * 4 + 64) // a bound on the raw input before cleaning
    .transform((s) => stripUnsafeText(s, { multiline: opts.multiline }))
    .pipe(
      z
        .string()
        .refine((s) => [...s].length >= min, `at least ${min} character(s) after removing control characters`)
        .refine((s) => [...s].length <= opts.max, `at most ${opts.max} characters`),
    );
}
