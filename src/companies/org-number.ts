// Norwegian organisation numbers (Brønnøysund): nine digits, the last a MOD11 check digit with
// weights 3 2 7 6 5 4 3 2. A remainder that would give check digit 10 makes the number invalid.
const WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];

export function isValidOrgNumber(value: string): boolean {
  if (!/^[0-9]{9}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const sum = WEIGHTS.reduce((acc, weight, i) => acc + weight * (digits[i] ?? 0), 0);
  const remainder = sum % 11;
  const check = remainder === 0 ? 0 : 11 - remainder;
  return check !== 10 && check === digits[8];
}
