// secrets/hardcoded: no credential literal in any file the scan reads. The candidates come
// from extraction (server/src/engine/parse/secrets.ts), which keeps spans, masked forms and
// features but never values; this rule decides which of them are findings, at what
// severity, and how to replace them with an environment lookup.
import { pointer } from '../../server/src/engine/parse/yaml';
import type { SecretCandidate } from '../../server/src/engine/parse/secrets';
import { importOsEdit } from '../lib/python-edit';
import { defineRule, type CheckContext } from '../../server/src/engine/rule';
import type { FixOffer, Severity, SourceFile, Span, TextEdit } from '../../server/src/engine/types';
import { isObj, objects, spanAt, type K8sObject } from '../lib/k8s';
import { isTerraformState, isTestPath } from '../lib/secret-files';
import { isPlaceholderValue, isSecretName, looksEncrypted, maskSecret, screamingSnake } from '../lib/secret-names';
import { decodeBase64, PROVIDERS, type ProviderId } from '../lib/secret-providers';

/** A generic secret-named assignment needs this much randomness (bits per character) to count as a credential. */
export const MIN_ENTROPY = 3.0;
/** Provider tokens in test fixtures are reported (at info) only with this much randomness. */
const FIXTURE_ENTROPY = 3.5;

/** Providers whose structure is specific enough to matter even in a test fixture. */
const STRUCTURED: ReadonlySet<ProviderId> = new Set([
  'aws-access-key-id',
  'github-token',
  'gitlab-token',
  'slack-token',
  'slack-webhook',
  'stripe-key',
  'google-api-key',
  'twilio-api-key',
  'sendgrid-api-key',
  'npm-token',
]);

/** Keys of Kubernetes Secret data that hold credentials whatever their name says. */
const SECRET_DATA_KEYS: ReadonlySet<string> = new Set(['tls.key', 'ssh-privatekey', '.dockerconfigjson', '.dockercfg', 'id_rsa', 'id_ed25519', 'id_ecdsa', '.htpasswd', 'credentials', 'credentials.json', '.git-credentials', '.npmrc', '.pypirc', '.netrc', 'kubeconfig']);

type Lang = 'js' | 'py' | 'yaml' | undefined;

interface FixData {
  /** Span to replace and its replacement. */
  start: number;
  end: number;
  newText: string;
  /** The secret's span, its mask and the text around it at check time: the fix applies only to the same text. */
  check: { start: number; end: number; masked: string; around?: [string, string] };
  /** Python: add `import os` when the file lacks it. */
  importOs?: boolean;
}

function isFixData(v: unknown): v is FixData {
  return isObj(v) && typeof v.start === 'number' && typeof v.end === 'number' && typeof v.newText === 'string' && isObj(v.check);
}

function langOf(file: SourceFile): Lang {
  const k = file.facts.kinds;
  if (k.includes('ts') || k.includes('js')) return 'js';
  if (k.includes('python')) return 'py';
  if (k.includes('k8s')) return undefined; // `${X}` means nothing to Kubernetes
  if (k.includes('yaml') || k.includes('compose') || k.includes('helm-values')) return 'yaml';
  return undefined;
}

function lookup(lang: Exclude<Lang, undefined>, name: string): string {
  switch (lang) {
    case 'js':
      return `process.env.${name}`;
    case 'py':
      return `os.environ[${JSON.stringify(name)}]`;
    case 'yaml':
      return `\${${name}}`;
  }
}

/** The quick fix for a candidate: an environment lookup in the file's language. */
function fixFor(file: SourceFile, c: SecretCandidate): { offer: FixOffer; data: FixData } | undefined {
  const lang = langOf(file);
  const check = { start: c.span[0], end: c.span[1], masked: c.masked, around: c.around };
  if (c.via === 'fallback' && c.fallback && c.key) {
    const name = c.key;
    const f = c.fallback;
    if (f.form === 'js' && lang === 'js') return { offer: { title: `Remove the hard-coded default of '${name}'`, safe: false, kind: 'env' }, data: { start: f.start, end: f.end, newText: '', check } };
    if (f.form === 'py' && lang === 'py') return { offer: { title: `Read '${name}' with os.environ["${name}"] (no default)`, safe: false, kind: 'env' }, data: { start: f.start, end: f.end, newText: lookup('py', name), check, importOs: true } };
    if (f.form === 'shell') return { offer: { title: `Remove the hard-coded default of '${name}'`, safe: false, kind: 'env' }, data: { start: f.start, end: f.end, newText: `\${${name}}`, check } };
    return undefined;
  }
  if (!lang || c.via === 'block' || c.via === 'url' || c.via === 'connection' || c.via === 'fallback') return undefined;
  // Code needs a quoted literal to replace; YAML may replace a plain scalar too.
  const span = c.literal ?? (lang === 'yaml' ? c.span : undefined);
  if (!span) return undefined;
  const name = c.key ? screamingSnake(c.key) : PROVIDERS[c.provider].envName;
  // Quoted in YAML, so that the lookup is valid in flow collections too.
  const newText = lang === 'yaml' ? `"\${${name}}"` : lookup(lang, name);
  return { offer: { title: `Read '${name}' from the environment`, safe: false, kind: 'env' }, data: { start: span[0], end: span[1], newText, check, importOs: lang === 'py' } };
}

interface SecretEntry {
  obj: K8sObject;
  key: string;
  span: Span;
  masked: string;
  template: boolean;
}

/** Credential entries of committed Kubernetes Secrets (`data` base64, `stringData` plain). */
function secretEntries(file: SourceFile, candidates: readonly SecretCandidate[]): SecretEntry[] {
  const out: SecretEntry[] = [];
  for (const obj of objects(file)) {
    if (obj.kind !== 'Secret') continue;
    for (const field of ['stringData', 'data'] as const) {
      const map = obj.value[field];
      if (!isObj(map)) continue;
      for (const [key, raw] of Object.entries(map)) {
        if (typeof raw !== 'string' && typeof raw !== 'number') continue;
        const span = spanAt(obj.doc, pointer(...obj.basePath, field, key));
        const value = field === 'data' ? (decodeBase64(String(raw).replace(/\s+/g, '')) ?? String(raw)) : String(raw);
        if (value.trim() === '') continue;
        const lower = key.toLowerCase();
        const credential = isSecretName(key) || SECRET_DATA_KEYS.has(lower) || lower.endsWith('.key') || candidates.some((c) => overlaps(c.span, span));
        if (!credential || looksEncrypted(value)) continue;
        out.push({ obj, key, span, masked: maskSecret(value), template: isPlaceholderValue(value) });
      }
    }
  }
  return out;
}

function overlaps(a: readonly [number, number] | [number, number], b: Span): boolean {
  return a[0] < Math.max(b.end, b.start + 1) && b.start < Math.max(a[1], a[0] + 1);
}

/** Spans of documents whose values are encrypted by design (SealedSecret). */
function sealedSpans(file: SourceFile): Span[] {
  return objects(file)
    .filter((o) => o.kind === 'SealedSecret')
    .map((o) => ({ start: o.doc.span[0], end: o.doc.span[1] }));
}

interface Decision {
  messageId: string;
  severity?: Severity;
}

/** What a candidate is worth reporting as, or undefined when it is not a finding. */
export function decide(c: SecretCandidate, inTest: boolean): Decision | undefined {
  if (inTest) {
    // Test code is full of fake credentials: only a token with a real key's structure (and,
    // where the format has one, a valid checksum) is worth a look, at info.
    if (c.example || c.placeholder || c.via !== 'token' || !STRUCTURED.has(c.provider)) return undefined;
    if ((c.provider === 'github-token' || c.provider === 'npm-token') && !c.verified) return undefined;
    if (c.entropy < FIXTURE_ENTROPY) return undefined;
    return { messageId: 'testFixture', severity: 'info' };
  }
  if (c.example) return { messageId: 'exampleKey', severity: 'info' };
  if (c.placeholder) return undefined;
  switch (c.via) {
    case 'block':
      return { messageId: 'privateKey' };
    case 'url':
    case 'connection':
      return { messageId: c.provider === 'basic-auth' ? 'basicAuth' : 'connectionUrl' };
    case 'fallback':
      return { messageId: 'fallbackDefault' };
    case 'assignment':
      if (c.provider === 'aws-secret-access-key') return { messageId: 'provider' };
      return c.entropy >= MIN_ENTROPY ? { messageId: 'assignment' } : undefined;
    case 'token':
      if (c.provider === 'stripe-key' && c.testMode) return { messageId: 'testModeKey', severity: 'warning' };
      return { messageId: 'provider' };
  }
}

function checkFile(ctx: CheckContext, file: SourceFile): void {
  const inTest = isTestPath(file.path);
  const seen = new Map<string, number>();
  const subjectKey = (base: string): string => {
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}#${n + 1}`;
  };
  if (isTerraformState(file.path) && !inTest) {
    const span = { start: 0, end: file.facts.lineStarts.length > 1 ? Math.max(0, file.facts.lineStarts[1]! - 1) : Math.min(1, file.size) };
    ctx.report({ subject: { key: `${file.path}#tfstate`, file: file.path, span }, messageId: 'tfstate', file: file.path, span });
  }
  const candidates = file.facts.secrets?.candidates ?? [];
  const k8s = file.facts.kinds.includes('k8s');
  const entries = k8s && !inTest ? secretEntries(file, candidates) : [];
  const sealed = k8s ? sealedSpans(file) : [];
  for (const e of entries) {
    const span = e.span;
    const data = { name: e.obj.name, key: e.key, masked: e.masked };
    ctx.report({
      subject: { key: subjectKey(`${file.path}#Secret/${e.obj.namespace}/${e.obj.name}/${e.key}`), file: file.path, span },
      messageId: e.template ? 'secretTemplate' : 'secretValue',
      severity: e.template ? 'info' : undefined,
      data,
      file: file.path,
      span,
    });
  }
  for (const c of candidates) {
    if (entries.some((e) => overlaps(c.span, e.span)) || sealed.some((s) => overlaps(c.span, s))) continue;
    const d = decide(c, inTest);
    if (!d) continue;
    const span = { start: c.span[0], end: c.span[1] };
    const label = c.via === 'assignment' && c.provider === 'generic' ? 'secret' : PROVIDERS[c.provider].label;
    const fix = d.severity === 'info' ? undefined : fixFor(file, c);
    ctx.report({
      subject: { key: subjectKey(`${file.path}#${c.provider}/${c.key ?? ''}/${c.masked}`), file: file.path, span },
      messageId: d.messageId,
      severity: d.severity,
      data: { label, masked: c.masked, key: c.key ?? '', block: c.key ?? 'PRIVATE KEY', env: c.key ? screamingSnake(c.key) : PROVIDERS[c.provider].envName },
      file: file.path,
      span,
      fixes: fix ? [fix.offer] : [],
      fixData: fix?.data,
    });
  }
}

export default defineRule({
  meta: {
    id: 'secrets/hardcoded',
    category: 'security',
    weight: 5,
    severity: 'error',
    scope: 'location',
    title: 'No hard-coded credentials',
    summary: 'no credential literal in any file the scan reads',
    occurrence: true,
    appliesTo: ['yaml', 'k8s', 'compose', 'ci', 'dockerfile', 'ts', 'js', 'python', 'json', 'markdown', 'dotenv', 'terraform', 'text', 'helm-values', 'kustomization', 'package-manifest'],
    subjects: { singular: 'file', plural: 'files', passing: 'hold no credentials' },
    messages: {
      provider: '{label} hard-coded ({masked}); revoke it, and read it from the environment or a secret store',
      testModeKey: '{label} in test mode hard-coded ({masked}); test keys still open your test account: read it from the environment',
      privateKey: 'Private key block ({block}) committed in the file; revoke the key and load it from a secret store',
      connectionUrl: 'Connection string with a literal password ({masked}); read the password or the whole URL from the environment',
      basicAuth: 'URL or Authorization header with a literal password ({masked}); read the credentials from the environment',
      assignment: "'{key}' is assigned a hard-coded secret ({masked}); read it from the environment ({env}) or a secret store",
      fallbackDefault: "'{key}' falls back to a hard-coded default ({masked}) when the variable is unset: every environment that forgets it runs with that secret; drop the default so a missing secret fails at start",
      exampleKey: 'Documented example key ({label}, {masked}): harmless, but make sure a real key never takes its place',
      testFixture: '{label} with a real key\'s structure in a test fixture ({masked}); make sure it is fake, or generate it at test time',
      secretValue: "Kubernetes Secret '{name}' commits a real value for '{key}' ({masked}); keep the manifest out of the repository (sealed-secrets, external-secrets, sops)",
      secretTemplate: "Kubernetes Secret '{name}' holds a template value for '{key}': make sure the real one is not committed",
      tfstate: 'Terraform state is committed: it holds the secrets of every resource it manages in plain text; keep state in a remote backend and git-ignore *.tfstate',
    },
    fixable: true,
    defersTo: ['k8s/secret-in-env', 'compose/secret-in-env', 'docker/secret-in-build'],
  },
  check(ctx) {
    for (const file of ctx.files) {
      if (file.facts.kinds.includes('lockfile')) continue;
      if (!file.facts.secrets && !isTerraformState(file.path)) continue;
      checkFile(ctx, file);
    }
  },
  fix(finding, kind, ctx): TextEdit[] {
    if (kind !== 'env' || !isFixData(finding.fixData)) return [];
    const d = finding.fixData;
    const text = ctx.text(finding.file);
    // The text changed since the check: only the same secret at the same place is replaced.
    if (d.end > text.length || maskSecret(text.slice(d.check.start, d.check.end)) !== d.check.masked) return [];
    const around = d.check.around;
    if (!around || text.slice(d.start, d.check.start) !== around[0] || text.slice(d.check.end, d.end) !== around[1]) return [];
    const edits: TextEdit[] = [{ file: finding.file, start: d.start, end: d.end, newText: d.newText }];
    if (d.importOs) {
      const imp = importOsEdit(finding.file, text);
      if (imp) edits.unshift(imp);
    }
    return edits;
  },
});
