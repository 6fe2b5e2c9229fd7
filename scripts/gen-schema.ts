// Generates schemas/readiness.schema.json — the JSON schema of `.readiness.yaml` that the
// editor uses — from the zod schema the engine validates with, listing the catalogue's
// rule ids. `npm run gen:schema` writes it; test/config.test.ts fails when it is stale.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../rules';
import { configJsonSchema } from '../server/src/engine/config';

export const SCHEMA_PATH = path.join(__dirname, '..', 'schemas', 'readiness.schema.json');

export function renderSchema(): string {
  const schema = {
    $id: 'https://github.com/readiness-dev/readiness/blob/main/schemas/readiness.schema.json',
    ...configJsonSchema(allRules.map((r) => r.meta.id)),
  };
  return JSON.stringify(schema, null, 2) + '\n';
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(SCHEMA_PATH), { recursive: true });
  fs.writeFileSync(SCHEMA_PATH, renderSchema());
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_PATH)}`);
}
