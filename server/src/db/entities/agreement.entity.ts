import { EntitySchema } from 'typeorm';
import type { AgreementKind } from '@jifen/shared';
import { int, intNull, ms, pk, str, strNull, text } from '../columns';

/**
 * A version of the points agreement or the privacy notice (issue 11 item 1). Rows are never edited: a new
 * version is a new row, unique (kind, version), so what a member accepted can always be shown again.
 */
export interface AgreementDocument {
  id: number;
  kind: AgreementKind;
  version: number;
  title: string;
  body: string;
  createdBy: number | null;
  createdName: string | null;
  createdAt: number;
}

export const AgreementDocumentEntity = new EntitySchema<AgreementDocument>({
  name: 'AgreementDocument',
  tableName: 'agreement_document',
  columns: {
    id: pk,
    kind: str(16),
    version: int,
    title: str(100),
    body: text,
    createdBy: { ...intNull, name: 'created_by' },
    createdName: { ...strNull(64), name: 'created_name' },
    createdAt: { ...ms, name: 'created_at' },
  },
});

/**
 * A member's acceptance of a pair of versions, with time and address; unique (member, terms, privacy), so a
 * repeated accept writes nothing. The latest row (highest id) is what the member has accepted now.
 */
export interface AgreementAcceptance {
  id: number;
  memberId: number;
  termsVersion: number;
  privacyVersion: number;
  ip: string | null;
  acceptedAt: number;
}

export const AgreementAcceptanceEntity = new EntitySchema<AgreementAcceptance>({
  name: 'AgreementAcceptance',
  tableName: 'agreement_acceptance',
  columns: {
    id: pk,
    memberId: { ...int, name: 'member_id' },
    termsVersion: { ...int, name: 'terms_version' },
    privacyVersion: { ...int, name: 'privacy_version' },
    ip: strNull(64),
    acceptedAt: { ...ms, name: 'accepted_at' },
  },
});
