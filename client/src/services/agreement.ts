import {
  agreementAcceptResponse,
  agreementDocumentsResponse,
  agreementPublishResponse,
  agreementResponse,
  type AgreementAcceptResponse,
  type AgreementDocumentDto,
  type AgreementDocumentsResponse,
  type AgreementPublishRequest,
  type AgreementResponse,
} from '@jifen/shared'
import { request } from './request'

export type { AgreementResponse, AgreementAcceptResponse, AgreementDocumentDto, AgreementDocumentsResponse }

/** GET /me/agreement: the current agreement and privacy notice, and whether the member must accept them. */
export function getAgreement(): Promise<AgreementResponse> {
  return request({ path: '/me/agreement', auth: 'member', schema: agreementResponse })
}

/** POST /me/agreement: accepts exactly the versions shown (AGREEMENT_OUTDATED when they changed meanwhile). */
export function acceptAgreement(version: number, privacyVersion: number): Promise<AgreementAcceptResponse> {
  return request({ method: 'POST', path: '/me/agreement', body: { version, privacyVersion }, auth: 'member', schema: agreementAcceptResponse })
}

/** GET /admin/agreements: every version of both documents (admin). */
export function listAgreements(): Promise<AgreementDocumentsResponse> {
  return request({ path: '/admin/agreements', auth: 'staff', schema: agreementDocumentsResponse })
}

/** POST /admin/agreements: publishes the next version of a document (a new row). */
export function publishAgreement(body: AgreementPublishRequest): Promise<{ document: AgreementDocumentDto }> {
  return request({ method: 'POST', path: '/admin/agreements', body, auth: 'staff', schema: agreementPublishResponse })
}
