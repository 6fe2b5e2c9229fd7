// The `readiness.*` settings, as the extension and the language server read them. The
// manifest's `contributes.configuration` is generated from this type's defaults and the
// rule catalogue by scripts/gen-manifest.ts (npm run gen:manifest).

export const SETTINGS_SECTION = 'readiness';

export const RULE_LEVELS = ['off', 'info', 'warning', 'error'] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];

export const TRACE_LEVELS = ['off', 'messages', 'verbose'] as const;
export type TraceLevel = (typeof TRACE_LEVELS)[number];

export interface ReadinessSettings {
  /** Analyse this folder at all. */
  enable: boolean;
  /** Rule id → level, overriding `.readiness.yaml` and the rule's default severity. */
  rules: Record<string, RuleLevel>;
  /** Globs of files not to scan, on top of `.gitignore` and the config's `ignore`. */
  exclude: string[];
  /** Bytes; larger files are skipped with a reason. Used when `.readiness.yaml` sets none. */
  maxFileSize: number;
  /** Milliseconds between the last keystroke and the analysis of unsaved text. */
  debounce: number;
  trace: { server: TraceLevel };
}

/** Setting names below `readiness.`, flattened the way package.json spells them. */
export type SettingKey = Exclude<keyof ReadinessSettings, 'trace'> | 'trace.server';

export const MAX_DEBOUNCE_MS = 1000;

export const DEFAULT_SETTINGS: ReadinessSettings = {
  enable: true,
  rules: {},
  exclude: [],
  // The engine's own limit (DEFAULT_MAX_FILE_SIZE), so that the setting changes nothing until set.
  maxFileSize: 1024 * 1024,
  debounce: 150,
  trace: { server: 'off' },
};

export function isRuleLevel(value: unknown): value is RuleLevel {
  return typeof value === 'string' && (RULE_LEVELS as readonly string[]).includes(value);
}
