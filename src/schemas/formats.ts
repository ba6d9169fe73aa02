// Custom string formats for the JSON-schema validator. Registered with Ajv through the app's
// Fastify options, so each rule lives in the schema (and shows in OpenAPI as `format`) rather
// than in handler code.
import type { Ajv } from 'ajv';
import { isValidOrgNumber } from '../companies/org-number.js';

export const ORG_NUMBER_FORMAT = 'no-org-number';

export function customFormats(ajv: Ajv): Ajv {
  ajv.addFormat(ORG_NUMBER_FORMAT, { type: 'string', validate: isValidOrgNumber });
  return ajv;
}
