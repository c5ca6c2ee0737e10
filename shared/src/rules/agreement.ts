/**
 * The points agreement (积分服务协议) and the privacy notice (issue 11 item 1). Each is a versioned document
 * (a new version is a new row); a member must have accepted the current version of both before anything
 * earns or spends. A new version of either asks again.
 */
export const AGREEMENT_KINDS = ['terms', 'privacy'] as const;
export type AgreementKind = (typeof AGREEMENT_KINDS)[number];

export const AGREEMENT_KIND_NAMES: Record<AgreementKind, string> = { terms: '积分服务协议', privacy: '隐私政策' };

export interface AgreementVersions {
  terms: number;
  privacy: number;
}

/**
 * Whether a member's last acceptance covers the current documents. `accepted` null: never accepted.
 * A kind without any document (version 0) asks nothing.
 */
export function agreementSatisfied(current: AgreementVersions, accepted: AgreementVersions | null): boolean {
  if (current.terms === 0 && current.privacy === 0) return true;
  if (!accepted) return false;
  return accepted.terms >= current.terms && accepted.privacy >= current.privacy;
}
