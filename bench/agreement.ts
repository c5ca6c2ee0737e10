import { errorLabel, type JsonClient } from './load';

/**
 * Spending is gated on the current points agreement and privacy notice (issue 11): a bench's hot member
 * accepts them once before redeeming (otherwise every redemption is 409 AGREEMENT_REQUIRED). A no-op when
 * already accepted; the welcome gift, if configured, is credited through the ledger like any other entry.
 */
export async function acceptAgreement(client: JsonClient, token: string): Promise<void> {
  const auth = { authorization: `Bearer ${token}` };
  const got = await client.request('GET', '/api/v1/me/agreement', undefined, auth);
  if (got.status !== 200) throw new Error(`agreement: ${errorLabel(got)}`);
  const a = got.body as { version: number; acceptedVersion: number | null; privacy: { version: number; acceptedVersion: number | null } };
  if (a.version <= (a.acceptedVersion ?? 0) && a.privacy.version <= (a.privacy.acceptedVersion ?? 0)) return;
  const res = await client.request('POST', '/api/v1/me/agreement', { version: a.version, privacyVersion: a.privacy.version }, auth);
  if (res.status >= 300) throw new Error(`agreement acceptance: ${errorLabel(res)}`);
}
