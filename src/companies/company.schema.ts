// Company schemas: validation, TypeScript types and OpenAPI all come from these.
import { Type, type Static } from '@sinclair/typebox';
import { VALUE_CHAIN_ROLES } from '../db/database.js';
import { StringEnum, Timestamp, Uuid } from '../schemas/common.js';
import { ORG_NUMBER_FORMAT } from '../schemas/formats.js';
import { COMPANY_EXAMPLE } from '../schemas/examples.js';

export const ValueChainRole = StringEnum(VALUE_CHAIN_ROLES, { description: 'Position in the value chain' });

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200, examples: ['Glomma Støperi AS'] }),
  orgNumber: Type.String({
    format: ORG_NUMBER_FORMAT,
    description: 'Norwegian organisation number: 9 digits with a valid MOD11 check digit',
    examples: ['923609016'],
  }),
  naceCode: Type.String({
    pattern: '^[0-9]{2}\\.[0-9]{1,3}$',
    description: 'SN2007 / NACE Rev. 2 code: two digits, a dot, up to three digits',
    examples: ['24.530'],
  }),
  region: Type.String({ minLength: 1, maxLength: 100, examples: ['Innlandet'] }),
  valueChainRole: ValueChainRole,
  employees: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  description: Type.String({ maxLength: 5000 }),
  website: Type.String({ format: 'uri', maxLength: 500, pattern: '^https?://' }),
};

export const CompanyCreate = Type.Object(
  {
    name: fields.name,
    orgNumber: Type.Optional(fields.orgNumber),
    naceCode: fields.naceCode,
    region: Type.Optional(fields.region),
    valueChainRole: Type.Optional(fields.valueChainRole),
    employees: Type.Optional(fields.employees),
    description: Type.Optional(fields.description),
    website: Type.Optional(fields.website),
  },
  { additionalProperties: false, title: 'CompanyCreate' },
);
export type CompanyCreate = Static<typeof CompanyCreate>;

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/** Any subset of the create fields; optional fields may be set to null to clear them. */
export const CompanyPatch = Type.Object(
  {
    name: Type.Optional(fields.name),
    orgNumber: Type.Optional(nullable(fields.orgNumber)),
    naceCode: Type.Optional(fields.naceCode),
    region: Type.Optional(nullable(fields.region)),
    valueChainRole: Type.Optional(nullable(fields.valueChainRole)),
    employees: Type.Optional(nullable(fields.employees)),
    description: Type.Optional(nullable(fields.description)),
    website: Type.Optional(nullable(fields.website)),
  },
  { additionalProperties: false, minProperties: 1, title: 'CompanyPatch' },
);
export type CompanyPatch = Static<typeof CompanyPatch>;

export const Company = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    orgNumber: Type.Union([Type.String(), Type.Null()]),
    naceCode: Type.String(),
    region: Type.Union([Type.String(), Type.Null()]),
    valueChainRole: Type.Union([ValueChainRole, Type.Null()]),
    employees: Type.Union([Type.Integer(), Type.Null()]),
    description: Type.Union([Type.String(), Type.Null()]),
    website: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Company', title: 'Company', examples: [COMPANY_EXAMPLE] },
);
export type Company = Static<typeof Company>;

export const CompanyParams = Type.Object({ companyId: Uuid }, { additionalProperties: false });
