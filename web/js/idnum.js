// idnum.js — checks made while the user types, before anything is sent:
// the resident ID number (GB 11643-1999: 18 characters with the check
// character, or an old 15-digit number) with the sex and birth date it
// encodes, and the mainland mobile number.  The server checks again.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

// checkChar: the check character for the first 17 digits.
export function checkChar(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

// realDate: "YYYY-MM-DD" when y-m-d is a real day not after today.
function realDate(y, m, d, today) {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1
      || dt.getUTCDate() !== d) return null;
  const iso = dt.toISOString().slice(0, 10);
  return iso > today ? null : iso;
}

// checkIdNumber: {ok: true, normalized, sex: 'M'|'F', birth, legacy} or
// {ok: false, error: 'length'|'chars'|'birth'|'check', expected}.
// An empty value is {ok: true, empty: true} (the number is optional).
export function checkIdNumber(raw, today = new Date().toISOString().slice(0, 10)) {
  const v = String(raw || '').replace(/\s+/g, '').toUpperCase();
  if (!v) return { ok: true, empty: true };
  if (v.length === 15) {
    if (!/^\d{15}$/.test(v)) return { ok: false, error: 'chars' };
    const birth = realDate(1900 + Number(v.slice(6, 8)), Number(v.slice(8, 10)),
      Number(v.slice(10, 12)), today);
    if (!birth) return { ok: false, error: 'birth' };
    return { ok: true, normalized: v, legacy: true, birth,
      sex: Number(v[14]) % 2 ? 'M' : 'F' };
  }
  if (v.length !== 18) return { ok: false, error: 'length' };
  if (!/^\d{17}[\dX]$/.test(v)) return { ok: false, error: 'chars' };
  const birth = realDate(Number(v.slice(6, 10)), Number(v.slice(10, 12)),
    Number(v.slice(12, 14)), today);
  if (!birth) return { ok: false, error: 'birth' };
  const expected = checkChar(v);
  if (v[17] !== expected) return { ok: false, error: 'check', expected };
  return { ok: true, normalized: v, legacy: false, birth,
    sex: Number(v[16]) % 2 ? 'M' : 'F' };
}

// checkPhone: a mainland mobile: +86 or 0086 allowed, then 1[3-9] and 9
// digits; spaces and dashes ignored.  Empty is fine (optional).
export function checkPhone(raw) {
  let v = String(raw || '').replace(/[\s-]+/g, '');
  if (!v) return { ok: true, empty: true };
  if (v.startsWith('+86')) v = v.slice(3);
  else if (v.startsWith('0086')) v = v.slice(4);
  return /^1[3-9]\d{9}$/.test(v) ? { ok: true, normalized: v } : { ok: false };
}
