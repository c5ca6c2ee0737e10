/**
 * Phone numbers (issue 9 item 3). Stored normalised: a mainland mobile as its 11 digits (13800138000), any
 * other number as +<country code><digits> (E.164 form). One number belongs to at most one member (a unique
 * index), so "find the member by phone" has one answer. Shown masked (138****8000) to everyone but admin.
 */
const CN_MOBILE = /^1[3-9]\d{9}$/;
const E164 = /^\+[1-9]\d{6,14}$/;
export const PHONE_MAX = 20;

/** Whether a string is an 11-digit mainland mobile number (what the search box treats as a phone). */
export function isCnMobile(s: string): boolean {
  return CN_MOBILE.test(s);
}

/**
 * A phone as typed or as WeChat returns it ("+86 138-0013-8000", "8613800138000", "13800138000",
 * "+44 20 7946 0958") in its stored form, or null when it is not a phone number.
 */
export function normalizePhone(input: string, countryCode?: string | number | null): string | null {
  const raw = input.trim();
  if (raw.length === 0 || raw.length > 32 || !/^[+\d\s()-]+$/.test(raw)) return null;
  let digits = raw.replace(/\D/g, '');
  const cc = countryCode === undefined || countryCode === null ? '' : String(countryCode).replace(/\D/g, '');
  if (raw.startsWith('+')) {
    // already international
  } else if (cc) {
    digits = cc + digits; // WeChat's purePhoneNumber with its countryCode
  } else if (CN_MOBILE.test(digits)) {
    return digits;
  } else if (digits.startsWith('86') && CN_MOBILE.test(digits.slice(2))) {
    return digits.slice(2);
  } else {
    return null;
  }
  if (digits.startsWith('86')) return CN_MOBILE.test(digits.slice(2)) ? digits.slice(2) : null;
  return E164.test(`+${digits}`) ? `+${digits}` : null;
}

/** 13800138000 -> 138****8000; +447946095812 -> +4479****5812 (the last four always shown). */
export function maskPhone(phone: string): string {
  if (CN_MOBILE.test(phone)) return `${phone.slice(0, 3)}****${phone.slice(7)}`;
  if (phone.length <= 8) return `${phone.slice(0, 2)}****`;
  return `${phone.slice(0, phone.length - 8)}****${phone.slice(-4)}`;
}
