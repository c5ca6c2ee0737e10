import { z } from 'zod';
import { AGREEMENT_KINDS } from '../rules/agreement';
import { cleanText } from './clean-text';

/** Limits on a document (the body is shown in a scroll view; 12k characters, 48 KB in utf8mb4, fits a TEXT column). */
export const AGREEMENT_TITLE_MAX = 60;
export const AGREEMENT_BODY_MAX = 12_000;

const version = z.number().int().min(1).max(1_000_000);

const documentText = z.object({ version: z.number().int(), title: z.string(), body: z.string() });

/**
 * GET /me/agreement: the current points agreement (top level, as DESIGN §4 names it) and privacy notice,
 * what the member last accepted, whether acceptance is needed now, and the welcome gift the first
 * acceptance brings.
 */
export const agreementResponse = z.object({
  version: z.number().int(),
  title: z.string(),
  body: z.string(),
  acceptedVersion: z.number().int().nullable(),
  privacy: documentText.extend({ acceptedVersion: z.number().int().nullable() }),
  required: z.boolean(),
  /** Points credited on the first acceptance (0 once given, or when the brand gives none). */
  welcomeGiftPoints: z.number().int(),
});
export type AgreementResponse = z.infer<typeof agreementResponse>;

/** POST /me/agreement: the versions the member read (a stale screen is refused, so nobody accepts unseen text). */
export const agreementAcceptRequest = z.strictObject({ version, privacyVersion: version });
export type AgreementAcceptRequest = z.infer<typeof agreementAcceptRequest>;

export const agreementAcceptResponse = z.object({
  acceptedVersion: z.number().int(),
  privacyVersion: z.number().int(),
  acceptedAt: z.string(),
  /** Points of the welcome gift credited by this call (0 on a repeat or a later version). */
  giftPoints: z.number().int(),
  balance: z.number().int(),
});
export type AgreementAcceptResponse = z.infer<typeof agreementAcceptResponse>;

export const agreementKindSchema = z.enum(AGREEMENT_KINDS);

export const agreementDocumentSchema = z.object({
  id: z.number().int(),
  kind: agreementKindSchema,
  version: z.number().int(),
  title: z.string(),
  body: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  /** Members who accepted this version (for terms: of this terms version; for privacy: of this privacy version). */
  acceptedCount: z.number().int(),
});
export type AgreementDocumentDto = z.infer<typeof agreementDocumentSchema>;

/** GET /admin/agreements: every version of both documents, newest first per kind. */
export const agreementDocumentsResponse = z.object({ documents: z.array(agreementDocumentSchema) });
export type AgreementDocumentsResponse = z.infer<typeof agreementDocumentsResponse>;

/** POST /admin/agreements: publishes the next version of a document (a new row; old versions stay). */
export const agreementPublishRequest = z.strictObject({
  kind: agreementKindSchema,
  title: cleanText({ max: AGREEMENT_TITLE_MAX }),
  body: cleanText({ min: 10, max: AGREEMENT_BODY_MAX, multiline: true }),
});
export type AgreementPublishRequest = z.input<typeof agreementPublishRequest>;

export const agreementPublishResponse = z.object({ document: agreementDocumentSchema });
