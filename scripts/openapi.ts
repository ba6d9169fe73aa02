// `npm run openapi`: writes openapi/openapi.json from the routes' schemas. A test fails when the
// committed file differs from what the routes generate.
import { writeFileSync } from 'node:fs';
import { generateOpenApi } from '../src/openapi-document.js';

const document = await generateOpenApi();
writeFileSync(new URL('../openapi/openapi.json', import.meta.url), document);
console.log('wrote openapi/openapi.json');
