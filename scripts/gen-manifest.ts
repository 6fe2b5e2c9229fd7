// Generates the settings schema of the extension manifest — package.json's
// `contributes.configuration` — from the settings type's defaults (client/src/settings.ts)
// and the rule catalogue (one `readiness.rules` property per rule id). `npm run gen:manifest`
// writes it; test/package.test.ts fails when package.json is stale.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../rules/index';
import type { Rule } from '../server/src/engine/rule';
import { DEFAULT_SETTINGS, MAX_DEBOUNCE_MS, RULE_LEVELS, SETTINGS_SECTION, TRACE_LEVELS, type SettingKey } from '../server/src/settings';

export const MANIFEST_PATH = path.join(__dirname, '..', 'package.json');

type JsonSchema = Record<string, unknown>;

const LEVEL_DESCRIPTIONS = ['Do not run the rule: it leaves the checks and the score.', 'Report findings as information.', 'Report findings as warnings.', 'Report findings as errors.'];

function rulesProperty(rules: readonly Rule[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const r of rules) {
    properties[r.meta.id] = {
      type: 'string',
      enum: [...RULE_LEVELS],
      enumDescriptions: LEVEL_DESCRIPTIONS,
      markdownDescription: `${r.meta.summary} (${r.meta.category}; default: \`${r.meta.severity}\`)`,
    };
  }
  return {
    type: 'object',
    scope: 'resource',
    default: DEFAULT_SETTINGS.rules,
    markdownDescription: 'Level per rule id (`off`, `info`, `warning`, `error`), overriding `.readiness.yaml` and the rule\'s default severity. `off` leaves the rule out of the score.',
    properties,
    additionalProperties: false,
  };
}

/** One entry per setting: the type in settings.ts and this table cannot drift apart. */
function settingsProperties(rules: readonly Rule[]): Record<SettingKey, JsonSchema> {
  return {
    enable: {
      type: 'boolean',
      scope: 'resource',
      default: DEFAULT_SETTINGS.enable,
      description: 'Analyse this folder for production-readiness gaps.',
    },
    rules: rulesProperty(rules),
    exclude: {
      type: 'array',
      scope: 'resource',
      items: { type: 'string' },
      default: DEFAULT_SETTINGS.exclude,
      markdownDescription: 'Glob patterns, relative to the workspace folder, of files not to scan, on top of `.gitignore` and the `ignore` list of `.readiness.yaml`.',
    },
    maxFileSize: {
      type: 'number',
      scope: 'resource',
      minimum: 1,
      default: DEFAULT_SETTINGS.maxFileSize,
      markdownDescription: 'Files larger than this many bytes are skipped, with the reason in the report. `maxFileSize` in `.readiness.yaml` takes precedence.',
    },
    debounce: {
      type: 'number',
      scope: 'resource',
      minimum: 0,
      maximum: MAX_DEBOUNCE_MS,
      default: DEFAULT_SETTINGS.debounce,
      description: 'Milliseconds to wait after the last keystroke before analysing unsaved text.',
    },
    'trace.server': {
      type: 'string',
      scope: 'window',
      enum: [...TRACE_LEVELS],
      default: DEFAULT_SETTINGS.trace.server,
      description: 'Traces the communication between VS Code and the Readiness language server in the Readiness output.',
    },
  };
}

export function configurationContribution(rules: readonly Rule[] = allRules): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, schema] of Object.entries(settingsProperties(rules))) properties[`${SETTINGS_SECTION}.${key}`] = schema;
  return { title: 'Readiness', properties };
}

/** The manifest with its generated parts brought up to date; everything else is kept as it is. */
export function renderManifest(text: string, rules: readonly Rule[] = allRules): string {
  const pkg = JSON.parse(text) as { contributes?: Record<string, unknown> };
  pkg.contributes = { ...(pkg.contributes ?? {}), configuration: configurationContribution(rules) };
  return JSON.stringify(pkg, null, 2) + '\n';
}

if (require.main === module) {
  const current = fs.readFileSync(MANIFEST_PATH, 'utf8');
  const next = renderManifest(current);
  if (next === current) console.log('package.json is current');
  else {
    fs.writeFileSync(MANIFEST_PATH, next);
    console.log('wrote package.json (contributes.configuration)');
  }
}
