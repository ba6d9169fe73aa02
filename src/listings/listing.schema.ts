// Listing schemas (needs and capabilities share their shape).
import { Type, type Static } from '@sinclair/typebox';
import { LANGS, LISTING_KINDS, VISIBILITIES } from '../db/database.js';
import { StringEnum, Timestamp, Uuid } from '../schemas/common.js';
import { LISTING_EXAMPLE } from '../schemas/examples.js';

export const ListingKind = StringEnum(LISTING_KINDS, { description: 'What is offered or sought' });
export const Lang = StringEnum(LANGS, { description: 'Language of the text: bokmål, nynorsk or English' });
export const Visibility = StringEnum(VISIBILITIES, { description: 'Who may see the listing' });

const fields = {
  kind: ListingKind,
  title: Type.String({ minLength: 1, maxLength: 200, examples: ['Kompetanse på sveising av aluminium'] }),
  description: Type.String({ maxLength: 5000, examples: ['Vi trenger hjelp til å kvalifisere sveiseprosedyrer for aluminium.'] }),
  lang: Lang,
  tags: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20, uniqueItems: true }),
  visibility: Visibility,
};

export const ListingCreate = Type.Object(
  {
    kind: fields.kind,
    title: fields.title,
    description: fields.description,
    lang: Type.Optional(fields.lang),
    tags: Type.Optional(fields.tags),
    visibility: Type.Optional(fields.visibility),
  },
  { additionalProperties: false, title: 'ListingCreate' },
);
export type ListingCreate = Static<typeof ListingCreate>;

export const ListingPatch = Type.Object(
  {
    kind: Type.Optional(fields.kind),
    title: Type.Optional(fields.title),
    description: Type.Optional(fields.description),
    lang: Type.Optional(fields.lang),
    tags: Type.Optional(fields.tags),
    visibility: Type.Optional(fields.visibility),
  },
  { additionalProperties: false, minProperties: 1, title: 'ListingPatch' },
);
export type ListingPatch = Static<typeof ListingPatch>;

export const Listing = Type.Object(
  {
    id: Uuid,
    companyId: Uuid,
    side: Type.Union([Type.Literal('need'), Type.Literal('capability')]),
    kind: ListingKind,
    title: Type.String(),
    description: Type.String(),
    lang: Lang,
    langDetected: Type.Boolean({ description: 'True when `lang` was detected from the text rather than given' }),
    tags: Type.Array(Type.String()),
    visibility: Visibility,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Listing', title: 'Listing', examples: [LISTING_EXAMPLE] },
);
export type Listing = Static<typeof Listing>;
