import { describe, expect, it } from 'vitest';
import { isValidOrgNumber } from '../../src/companies/org-number.js';

describe('isValidOrgNumber (MOD11)', () => {
  it.each(['923609016', '974760673', '912345602'])('accepts %s', (value) => expect(isValidOrgNumber(value)).toBe(true));
  it.each(['923609017', '12345678', '1234567890', '92360901a', ''])('rejects %s', (value) => expect(isValidOrgNumber(value)).toBe(false));
});
