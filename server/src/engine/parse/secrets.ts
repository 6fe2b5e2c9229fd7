// Secret candidates in any text file: provider tokens, private key blocks, JWTs, URLs with a
// password, secret-named assignments and fallback defaults, plus what the secrets rules ask
// about secret handling (env vars read by code, secret stores, `.env` entries).
//
// Facts are cached on disk, so a candidate keeps what the rules need and never the value:
// its span, provider, a masked form (maskSecret), its entropy and length, the key it is
// assigned to, and whether it looks like a placeholder or a documented example.
//
// Everything runs in time linear in the text, whatever the text:
// - pass 1 walks the characters once; provider checks run only at word starts, read a
//   bounded number of characters (engine/secrets/providers.ts), and the walk skips past
//   what they match; searches for `-----END ` and `-----BEGIN ` are cached, so each is one
//   forward scan over the whole file;
// - pass 2 is a small lexer (words, quoted strings, operators, unquoted values) that keeps
//   the last few tokens of the current line and matches fixed-length token patterns
//   against them;
// - regular expressions and the name/placeholder helpers only ever see bounded slices
//   (keys ≤ MAX_KEY, values ≤ MAX_VALUE characters).
// A `Meter` counts the characters read so that tests can bound the work, not the clock.
import {
  connectionPasswordSpan,
  isConnectionName,
  isDigestName,
  isPlaceholderValue,
  isSecretName,
  looksEncrypted,
  looksLikeDigest,
  maskSecret,
  shannonEntropy,
  splitWords,
  urlPassword,
} from '../secrets/names';
import {
  decodeBase64,
  isAlnum,
  isAwsSecretKeyShape,
  isBase64Char,
  isExampleKey,
  isTokenChar,
  jwtVerdict,
  PRIVATE_KEY_LABELS,
  tokenAt,
  type Meter,
  type ProviderId,
} from '../secrets/providers';
import type { ArtifactKind } from '../types';

export type { Meter, ProviderId } from '../secrets/providers';

/** How a candidate was found. */
export type CandidateVia = 'token' | 'block' | 'url' | 'assignment' | 'fallback' | 'connection';

/** How a fix rewrites a fallback default. */
export type FallbackForm = 'js' | 'py' | 'shell';

export interface SecretCandidate {
  provider: ProviderId;
  via: CandidateVia;
  /** The secret's characters (inside any quotes). */
  span: [number, number];
  /** The literal as written, quotes included, when it is a quoted string. */
  literal?: [number, number];
  /** maskSecret(value): at most the first and last 4 characters of 16+ character values. */
  masked: string;
  length: number;
  /** Shannon entropy, bits per character, two decimals. */
  entropy: number;
  /** The key it is assigned to, or the environment variable it is the fallback of. */
  key?: string;
  placeholder?: boolean;
  /** A documented example key (AWS's access key ID ending in EXAMPLE, and the like). */
  example?: boolean;
  /** The token's own checksum holds (GitHub, npm). */
  verified?: boolean;
  /** A test-mode key (Stripe `sk_test_`). */
  testMode?: boolean;
  /** For fallback defaults: the text to rewrite (the whole `|| 'x'`, the call, the `${X:-x}`). */
  fallback?: { start: number; end: number; form: FallbackForm };
  /**
   * The text between the start of what a fix rewrites (the literal, or the fallback) and the
   * secret, and between the secret and its end: quotes, `process.env.X || '`, `${X:-`. Never
   * secret; a fix compares it with the current text to be sure it rewrites the same thing.
   */
  around?: [string, string];
}

/** A secret-named environment variable that code reads (`process.env.JWT_SECRET`, `os.getenv("DB_PASSWORD")`). */
export interface EnvRef {
  name: string;
  span: [number, number];
}

/** A secret-named `ENV`/`ARG` of a Dockerfile. */
export interface EnvDecl {
  name: string;
  span: [number, number];
  /** Given a literal value in the file (`ENV X=…`, `ARG X=…`). */
  literal: boolean;
}

/** Evidence that a file takes secrets from a secret store. */
export interface StoreRef {
  store: string;
  span: [number, number];
}

/** A secret-named entry of a `.env`-style file. */
export interface DotenvEntry {
  key: string;
  /** The key's span. */
  span: [number, number];
  /** Holds a real value: non-empty, not a placeholder, not encrypted. */
  real: boolean;
}

export interface SecretFacts {
  candidates: SecretCandidate[];
  envRefs: EnvRef[];
  /** Every environment variable that TS/JS/Python code reads by a literal name, secret or not (config/env-example asks for them). */
  envReads: EnvRef[];
  envDecls: EnvDecl[];
  stores: StoreRef[];
  dotenv: DotenvEntry[];
}

export const MAX_CANDIDATES = 200;
const MAX_REFS = 100;
/** Longest literal examined as a value of an assignment. */
export const MAX_VALUE = 4096;
/** Longest key examined as a name. */
export const MAX_KEY = 128;
/** Longest private key body examined when no END line closes it. */
const MAX_KEY_BODY = 65536;

type Mode = 'js' | 'py' | 'yaml' | 'json' | 'tf' | 'dotenv' | 'docker' | 'md' | 'text' | 'notebook';

const YAML_KINDS: readonly ArtifactKind[] = ['yaml', 'k8s', 'compose', 'kustomization', 'helm-values'];
const SKIPPED_KINDS: readonly ArtifactKind[] = ['lockfile', 'gitignore', 'dockerignore', 'readiness-config'];
const LOCK_NAMES: ReadonlySet<string> = new Set(['go.sum', 'cargo.lock', 'gemfile.lock', 'composer.lock', 'flake.lock', 'podfile.lock', 'mix.lock', 'pubspec.lock', 'gradle.lockfile', 'packages.lock.json', 'poetry.lock', 'pipfile.lock', 'uv.lock']);

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** True for files the secrets pass never reads: lock files, ignore files, the tool's own config. */
export function skipsSecrets(kinds: readonly ArtifactKind[], relPath: string): boolean {
  const name = basename(relPath).toLowerCase();
  return kinds.some((k) => SKIPPED_KINDS.includes(k)) || LOCK_NAMES.has(name) || name.endsWith('.lock');
}

function modeOf(kinds: readonly ArtifactKind[], name: string): Mode {
  const lower = name.toLowerCase();
  const has = (k: ArtifactKind): boolean => kinds.includes(k);
  if (lower.endsWith('.ipynb')) return 'notebook';
  if (lower.endsWith('.tfstate') || lower.endsWith('.tfstate.backup')) return 'json';
  if (has('ts') || has('js')) return 'js';
  if (has('python')) return 'py';
  if (has('terraform')) return 'tf';
  if (has('json')) return 'json';
  if (YAML_KINDS.some(has)) return 'yaml';
  if (has('dotenv')) return 'dotenv';
  if (has('dockerfile')) return 'docker';
  if (has('markdown')) return 'md';
  return 'text';
}

/** Secret facts of a file, or undefined when it holds nothing the secrets rules read. */
export function secretFacts(text: string, kinds: readonly ArtifactKind[], relPath: string): SecretFacts | undefined {
  if (skipsSecrets(kinds, relPath)) return undefined;
  let facts: SecretFacts;
  try {
    facts = scanSecrets(text, kinds, basename(relPath));
  } catch {
    // Bad input yields nothing rather than a failed scan; the scanner has no known throw.
    return undefined;
  }
  const empty = facts.candidates.length + facts.envRefs.length + facts.envReads.length + facts.envDecls.length + facts.stores.length + facts.dotenv.length === 0;
  return empty ? undefined : facts;
}

/** Scans a text; `meter` (if given) counts the characters read. Depends only on the file's name, never its directory (facts are cached by name and content). */
export function scanSecrets(text: string, kinds: readonly ArtifactKind[], name: string, meter: Meter = { steps: 0 }): SecretFacts {
  const scan = new Scan(text, modeOf(kinds, name), meter);
  scan.tokenPass();
  scan.lexPass();
  return scan.result();
}

// ---------------------------------------------------------------------------------------

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LF = 10;

// Character classes by code unit, as bits of one table (code units ≥ 128 are word characters).
const C_TOKEN = 1;
const C_WORD = 2;
const C_SPACE = 4;
const C_OP = 8;
const CLASSES: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if (isTokenChar(c)) t[c]! |= C_TOKEN | C_WORD;
    if (c === 46 || c === 36 || c === 64) t[c]! |= C_WORD;
    if (c === SPACE || c === TAB || c === CR || c === 12 || c === 11) t[c]! |= C_SPACE;
    if ('=!<>:|?&+*/%~^'.includes(String.fromCharCode(c))) t[c]! |= C_OP;
  }
  return t;
})();

function isSpace(c: number): boolean {
  return c < 128 && c >= 0 && (CLASSES[c]! & C_SPACE) !== 0;
}

/** Characters of lexer words: token characters plus `.`, `$`, `@` and anything non-ASCII. */
function isWordChar(c: number): boolean {
  return c >= 128 || (c >= 0 && (CLASSES[c]! & C_WORD) !== 0);
}

function isTok(c: number): boolean {
  return c < 128 && c >= 0 && (CLASSES[c]! & C_TOKEN) !== 0;
}

function isOpChar(c: number): boolean {
  return c < 128 && c >= 0 && (CLASSES[c]! & C_OP) !== 0;
}
const ASSIGN_OPS: ReadonlySet<string> = new Set(['=', ':', ':=', '=>', '?=', '?:', '||=', '??=']);
const TYPE_WORDS: ReadonlySet<string> = new Set(['string', 'String', 'str', 'bytes', 'SecretStr', 'Optional[str]', 'any', 'char', 'text']);
const STRING_PREFIXES: ReadonlySet<string> = new Set(['r', 'b', 'u', 'f', 'rb', 'br', 'fr', 'rf', 'R', 'B', 'U', 'F', 'Rb', 'bR', 'RB', 'BR', 'fR', 'Fr', 'FR', 'rF', 'Rf', 'RF']);

/** Functions that read an environment variable, optionally with a default as second argument. */
const ENV_GETTERS: ReadonlySet<string> = new Set([
  'os.getenv', 'getenv', 'os.environ.get', 'environ.get', 'os.environ.setdefault', 'environ.setdefault',
  'env', 'env.str', 'config', 'ENV.fetch', 'getEnv', 'get_env', 'Deno.env.get', 'os.Getenv', 'System.getenv',
]);
/** Objects indexed by variable name: `process.env["X"]`, `os.environ["X"]`, `ENV["X"]`. */
const ENV_OBJECTS: ReadonlySet<string> = new Set(['process.env', 'os.environ', 'environ', 'ENV', 'import.meta.env', 'Bun.env']);
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const ENV_ACCESS = /^(?:process\.env|import\.meta\.env|Bun\.env)\.([A-Za-z_][A-Za-z0-9_]*)$/;

const JS_STORE_MODULES: ReadonlyMap<string, string> = new Map(Object.entries({
  'node-vault': 'HashiCorp Vault (node-vault)',
  'hashi-vault-js': 'HashiCorp Vault (hashi-vault-js)',
  '@aws-sdk/client-secrets-manager': 'AWS Secrets Manager',
  '@aws-sdk/client-ssm': 'AWS SSM Parameter Store',
  '@google-cloud/secret-manager': 'GCP Secret Manager',
  '@azure/keyvault-secrets': 'Azure Key Vault',
  '@infisical/sdk': 'Infisical',
  '@dopplerhq/node-sdk': 'Doppler',
  '@1password/sdk': '1Password',
}));
const PY_STORE_MODULES: readonly [string, string][] = [
  ['hvac', 'HashiCorp Vault (hvac)'],
  ['google.cloud.secretmanager', 'GCP Secret Manager'],
  ['azure.keyvault.secrets', 'Azure Key Vault'],
  ['infisical_client', 'Infisical'],
  ['infisical_sdk', 'Infisical'],
  ['akeyless', 'Akeyless'],
  ['onepassword', '1Password'],
];
const TF_STORE_PREFIXES: readonly [string, string][] = [
  ['aws_secretsmanager_', 'AWS Secrets Manager'],
  ['aws_ssm_parameter', 'AWS SSM Parameter Store'],
  ['vault_', 'HashiCorp Vault'],
  ['google_secret_manager_', 'GCP Secret Manager'],
  ['azurerm_key_vault', 'Azure Key Vault'],
];
const K8S_STORE_KINDS: ReadonlyMap<string, string> = new Map(Object.entries({
  ExternalSecret: 'External Secrets (ExternalSecret)',
  ClusterExternalSecret: 'External Secrets (ClusterExternalSecret)',
  SecretStore: 'External Secrets (SecretStore)',
  ClusterSecretStore: 'External Secrets (ClusterSecretStore)',
  SealedSecret: 'Sealed Secrets (SealedSecret)',
  SecretProviderClass: 'Secrets Store CSI driver (SecretProviderClass)',
  VaultStaticSecret: 'Vault Secrets Operator',
  VaultDynamicSecret: 'Vault Secrets Operator',
  OnePasswordItem: '1Password operator',
}));

/** Schemes whose URLs carry a web or transfer login rather than a database connection. */
const WEB_SCHEMES: ReadonlySet<string> = new Set(['http', 'https', 'ftp', 'ftps', 'sftp', 'ssh', 'git', 'ws', 'wss', 'smtp', 'smtps', 'imap', 'imaps', 'ldap', 'ldaps']);
/** Default credentials of local development containers: not hard-coded secrets but well-known defaults. */
const DEFAULT_PASSWORDS: ReadonlySet<string> = new Set(['password', 'pass', 'passwd', 'secret', 'postgres', 'root', 'admin', 'guest', 'test', 'mysql', 'redis', 'mongo', 'rabbitmq', 'pwd', 'user', 'changeme']);

const FILE_EXTENSIONS: ReadonlySet<string> = new Set(['pem', 'key', 'json', 'txt', 'p12', 'pfx', 'crt', 'cer', 'der', 'yaml', 'yml', 'env', 'jks', 'keystore', 'gpg', 'asc', 'pub', 'conf', 'ini', 'properties', 'xml', 'toml', 'enc', 'age', 'kdbx', 'ppk']);
const LITERAL_WORDS: ReadonlySet<string> = new Set(['true', 'false', 'null', 'nil', 'none', 'undefined', 'yes', 'no', 'on', 'off', 'required', 'optional']);
const FILLER_KEY_WORDS: ReadonlySet<string> = new Set(['my', 'the', 'your', 'app', 'user', 'db', 'new', 'old', 'default', 'current', 'input', 'value', 'field']);

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

interface Tok {
  k: 'w' | 's' | 'v' | 'p';
  start: number;
  end: number;
  /** Content span (inside quotes for strings). */
  cs: number;
  ce: number;
  /** The word, operator, or content (undefined when longer than the bound). */
  text: string | undefined;
  /** An f-string or template: its content interpolates. */
  interpolated?: boolean;
}

/** Caches the next occurrence of a needle: each needle costs one forward scan of the text. */
class Finder {
  private pos = -2;
  private from = -1;
  constructor(
    private readonly text: string,
    private readonly needle: string,
    private readonly meter: Meter,
  ) {}
  /** The first occurrence at or after `from`, or -1. `from` never decreases between calls. */
  next(from: number): number {
    if (this.pos === -1) return -1;
    if (this.pos >= from && this.from <= from) return this.pos;
    const start = Math.max(from, this.from);
    this.pos = this.text.indexOf(this.needle, start);
    this.meter.steps += (this.pos < 0 ? this.text.length : this.pos) - start + this.needle.length;
    this.from = from;
    return this.pos;
  }
}

interface Pending {
  key: Tok;
  value: Tok;
  /** A command-line argument (`--password=x`, `-e DB_PASSWORD=x`): more arguments may follow it. */
  cli: boolean;
}

class Scan {
  private readonly n: number;
  private readonly candidates: SecretCandidate[] = [];
  private readonly lexed: SecretCandidate[] = [];
  private readonly envRefs: EnvRef[] = [];
  private readonly envReads: EnvRef[] = [];
  private readonly envDecls: EnvDecl[] = [];
  private readonly stores: StoreRef[] = [];
  private readonly dotenv: DotenvEntry[] = [];
  private readonly ends: Finder;
  private readonly begins: Finder;

  constructor(
    private readonly text: string,
    private readonly mode: Mode,
    private readonly meter: Meter,
  ) {
    this.n = text.length;
    this.ends = new Finder(text, '-----END ', meter);
    this.begins = new Finder(text, '-----BEGIN ', meter);
    this.unquotedValues = mode === 'yaml' || mode === 'dotenv' || mode === 'docker' || mode === 'md' || mode === 'text';
  }

  private code(i: number): number {
    return i < this.n ? this.text.charCodeAt(i) : -1;
  }

  private add(list: SecretCandidate[], c: Omit<SecretCandidate, 'masked' | 'length' | 'entropy'>, value: string): void {
    if (list.length >= MAX_CANDIDATES) return;
    const bounded = value.length > MAX_VALUE ? value.slice(0, MAX_VALUE) : value;
    this.meter.steps += bounded.length;
    const cand: SecretCandidate = { ...c, masked: maskSecret(bounded), length: value.length, entropy: round2(shannonEntropy(bounded)) };
    if (c.via !== 'block' && isExampleKey(bounded)) cand.example = true;
    list.push(cand);
  }

  // -------------------------------------------------------------------------------------
  // Pass 1: provider tokens, key blocks, JWTs, URLs, auth headers, shell defaults.

  tokenPass(): void {
    const { text, n, meter } = this;
    let i = 0;
    let steps = 0;
    while (i < n) {
      steps++;
      const c = text.charCodeAt(i);
      if (c === 45 && text.startsWith('-----BEGIN ', i)) {
        i = this.privateKeyAt(i);
        continue;
      }
      if (isTok(c) && (i === 0 || !isTok(text.charCodeAt(i - 1)))) {
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (!isTok(d) || (d === 45 && text.startsWith('-----BEGIN ', j))) break;
          j++;
        }
        steps += j - i;
        // Only words that can start a token, a JWT or an auth header need a closer look
        // (SendGrid's `SG.` is the one prefix shorter than five characters).
        i = j - i >= 5 || (j - i === 2 && c === 83 && text.charCodeAt(j) === 46) ? this.wordAt(i, j) : j;
        continue;
      }
      if (c === 58 && text.charCodeAt(i + 1) === 47 && text.charCodeAt(i + 2) === 47) {
        i = this.urlAt(i);
        continue;
      }
      if (c === 36 && text.charCodeAt(i + 1) === 123) {
        i = this.shellDefaultAt(i);
        continue;
      }
      i++;
    }
    meter.steps += steps;
  }

  /** Handles the word [i, j); returns where scanning resumes (≥ j). */
  private wordAt(i: number, j: number): number {
    const { text } = this;
    if (text.startsWith('eyJ', i)) {
      const end = this.jwtAt(i, j);
      if (end !== undefined) return end;
    }
    const len = j - i;
    if ((len === 6 || len === 5) && this.code(j) === SPACE) {
      const w = text.slice(i, j);
      if (w === 'Bearer' || w === 'bearer') return this.bearerAt(j + 1) ?? j;
      if (w === 'Basic' || w === 'basic') return this.basicAt(j + 1) ?? j;
    }
    const m = tokenAt(text, i, j, this.meter);
    if (!m) return j;
    const value = text.slice(m.start, m.end);
    // A webhook URL is a placeholder when its secret part or its ids are (`T00000000/B00000000/XXXX…`).
    const secretPart = m.provider === 'slack-webhook' ? value.slice(value.lastIndexOf('/') + 1) : value;
    const placeholder = isPlaceholderValue(secretPart) || (m.provider === 'slack-webhook' && /\/T0+\//.test(value));
    this.add(this.candidates, { provider: m.provider, via: 'token', span: [m.start, m.end], verified: m.verified, testMode: m.testMode, placeholder: placeholder || undefined }, value);
    return Math.max(m.end, j);
  }

  private privateKeyAt(i: number): number {
    const { text, n, meter } = this;
    const labelStart = i + 11;
    let m = labelStart;
    while (m < n && m - labelStart < 40) {
      const c = text.charCodeAt(m);
      if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === SPACE)) break;
      meter.steps++;
      m++;
    }
    const label = text.slice(labelStart, m);
    if (!text.startsWith('-----', m) || !PRIVATE_KEY_LABELS.has(label)) return labelStart;
    const headerEnd = m + 5;
    const nextEnd = this.ends.next(headerEnd);
    const nextBegin = this.begins.next(headerEnd);
    let bodyEnd = Math.min(n, headerEnd + MAX_KEY_BODY);
    if (nextEnd >= 0) bodyEnd = Math.min(bodyEnd, nextEnd);
    if (nextBegin >= 0) bodyEnd = Math.min(bodyEnd, nextBegin);
    // Count base64 characters; `\n` escapes (JSON, code strings) and white space do not count.
    let b64 = 0;
    let junk = 0;
    for (let k = headerEnd; k < bodyEnd; k++) {
      meter.steps++;
      const c = text.charCodeAt(k);
      if (c === 92 /* \ */) {
        const d = text.charCodeAt(k + 1);
        if (d === 110 || d === 114) {
          k++;
          continue;
        }
      }
      if (isSpace(c) || c === LF) continue;
      if (isBase64Char(c)) b64++;
      else junk++;
    }
    if (b64 < 64 || junk > b64 / 8 + 40) return headerEnd;
    const endMarker = `-----END ${label}-----`;
    const blockEnd = nextEnd >= 0 && nextEnd === bodyEnd && text.startsWith(endMarker, nextEnd) ? nextEnd + endMarker.length : bodyEnd;
    const value = text.slice(i, blockEnd);
    this.add(this.candidates, { provider: 'private-key', via: 'block', span: [i, blockEnd], key: label }, value);
    return blockEnd;
  }

  private runOf(from: number, ok: (c: number) => boolean, max: number): number {
    let k = from;
    while (k < this.n && k - from < max && ok(this.text.charCodeAt(k))) {
      this.meter.steps++;
      k++;
    }
    return k;
  }

  private jwtAt(i: number, j: number): number | undefined {
    const { text } = this;
    if (this.code(j) !== 46 || j - i > 2048) return undefined;
    const p = this.runOf(j + 1, isTokenChar, 16384);
    if (p - (j + 1) < 10 || this.code(p) !== 46) return undefined;
    const q = this.runOf(p + 1, isTokenChar, 4096);
    const after = this.code(q);
    if (after === 46 || (after >= 0 && isTokenChar(after))) return undefined;
    this.meter.steps += q - i;
    const verdict = jwtVerdict(text.slice(i, j), text.slice(j + 1, p), text.slice(p + 1, q));
    if (verdict === undefined) return undefined;
    if (verdict === 'token') this.add(this.candidates, { provider: 'jwt', via: 'token', span: [i, q] }, text.slice(i, q));
    return q;
  }

  private static headerTokenChar(c: number): boolean {
    return isAlnum(c) || c === 46 || c === 95 || c === 126 || c === 43 || c === 47 || c === 61 || c === 45;
  }

  private bearerAt(k: number): number | undefined {
    const e = this.runOf(k, Scan.headerTokenChar, 8192);
    const len = e - k;
    if (len < 20 || len > 4096) return undefined;
    const value = this.text.slice(k, e);
    // Provider formats and JWTs are found by their own checks.
    const w = this.runOf(k, isTokenChar, 4096);
    if (value.startsWith('eyJ') || tokenAt(this.text, k, w, this.meter)) return undefined;
    if (isPlaceholderValue(value) || !/[0-9]/.test(value) || !/[A-Za-z]/.test(value) || shannonEntropy(value) < 3.5) return undefined;
    this.add(this.candidates, { provider: 'bearer-token', via: 'token', span: [k, e] }, value);
    return e;
  }

  private basicAt(k: number): number | undefined {
    const e = this.runOf(k, isBase64Char, 1024);
    if (e - k < 8) return undefined;
    const decoded = decodeBase64(this.text.slice(k, e));
    if (decoded === undefined || !/^[\x20-\x7e]+$/.test(decoded)) return undefined;
    const colon = decoded.indexOf(':');
    if (colon <= 0) return undefined;
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    if (password === '' || isPlaceholderValue(password) || isPlaceholderValue(user) || DEFAULT_PASSWORDS.has(password.toLowerCase())) return undefined;
    this.add(this.candidates, { provider: 'basic-auth', via: 'token', span: [k, e] }, password);
    return e;
  }

  private urlAt(i: number): number {
    const { text, n, meter } = this;
    // The scheme: letters, digits, `+`, `.`, `-` right before `://`.
    let s = i;
    while (s > 0 && i - s < 32) {
      const c = text.charCodeAt(s - 1);
      if (!(isAlnum(c) || c === 43 || c === 46 || c === 45)) break;
      meter.steps++;
      s--;
    }
    const scheme = text.slice(s, i).toLowerCase();
    const userStart = i + 3;
    if (scheme.length < 2 || !/^[a-z]/.test(scheme)) return userStart;
    // User-info ends at `@`; anything that ends a URL's authority first means there is none.
    let m = userStart;
    let colon = -1;
    while (m < n && m - userStart < 512) {
      const c = text.charCodeAt(m);
      if (c === 64 || isSpace(c) || c === LF || c === 47 || c === 63 || c === 35 || c === 34 || c === 39 || c === 96 || c === 60 || c === 62 || c === 92) break;
      if (c === 58 && colon < 0) colon = m;
      meter.steps++;
      m++;
    }
    if (this.code(m) !== 64 || colon < 0 || colon + 1 === m) return userStart;
    const user = text.slice(userStart, colon);
    const raw = text.slice(colon + 1, m);
    let password = raw;
    try {
      password = decodeURIComponent(raw);
    } catch {
      // not percent-encoded: keep it as written
    }
    const templated = /^[${%<]/.test(password) || raw.includes('{{') || raw.includes('${');
    // Documentation's `user:pw@`, `u:p@`: too short to be anyone's password.
    const placeholder = templated || password.length < 4 || isPlaceholderValue(password) || (user !== '' && isPlaceholderValue(user)) || password === user || DEFAULT_PASSWORDS.has(password.toLowerCase());
    if (!placeholder) {
      // A provider token as the password (a GitHub token after `x-access-token:`) is that token.
      const token = tokenAt(text, colon + 1, m, meter);
      if (token && token.end === m) {
        this.add(this.candidates, { provider: token.provider, via: 'token', span: [colon + 1, m], verified: token.verified, testMode: token.testMode }, raw);
        return m + 1;
      }
      const provider: ProviderId = WEB_SCHEMES.has(scheme) ? 'basic-auth' : 'connection-url';
      this.add(this.candidates, { provider, via: 'url', span: [colon + 1, m] }, raw);
    }
    return m + 1;
  }

  private shellDefaultAt(i: number): number {
    const { text, meter } = this;
    const nameStart = i + 2;
    const nameEnd = this.runOf(nameStart, (c) => isAlnum(c) || c === 95, MAX_KEY);
    if (nameEnd === nameStart) return nameStart;
    let k = nameEnd;
    if (this.code(k) === 58) k++;
    const op = this.code(k);
    if (op !== 45 && op !== 61) return nameEnd;
    const litStart = k + 1;
    let e = litStart;
    while (e < this.n && e - litStart < 1024) {
      const c = text.charCodeAt(e);
      if (c === 125 || c === 36 || c === 123 || c === LF) break;
      meter.steps++;
      e++;
    }
    if (this.code(e) !== 125) return e;
    const name = text.slice(nameStart, nameEnd);
    let vs = litStart;
    let ve = e;
    const q = this.code(vs);
    if ((q === 34 || q === 39) && ve - vs >= 2 && this.code(ve - 1) === q) {
      vs++;
      ve--;
    }
    const value = text.slice(vs, ve);
    if (this.secretName(name) && fallbackValueOk(value)) {
      this.add(this.candidates, { provider: 'generic', via: 'fallback', span: [vs, ve], key: name, fallback: { start: i, end: e + 1, form: 'shell' } }, value);
    }
    return e + 1;
  }

  // -------------------------------------------------------------------------------------
  // Pass 2: a line-local lexer for assignments, fallback defaults, env reads and stores.

  private ring: Tok[] = [];
  private pending: Pending | undefined;
  private lineStart = 0;
  private flow = false;

  private readonly unquotedValues: boolean;
  private readonly names = new Map<string, boolean>();

  /** isSecretName and not a digest name, memoised per file (keys repeat). */
  private secretName(name: string): boolean {
    let v = this.names.get(name);
    if (v === undefined) {
      v = name.length <= MAX_KEY && isSecretName(name) && !isDigestName(name);
      if (this.names.size < 10_000) this.names.set(name, v);
    }
    return v;
  }

  /** Whether a quote at `i` opens a string. */
  private opensString(i: number, c: number): boolean {
    switch (this.mode) {
      case 'js':
        return c === 34 || c === 39 || c === 96;
      case 'py':
      case 'notebook':
        return c === 34 || c === 39;
      case 'json':
      case 'tf':
        return c === 34;
      default: {
        // In YAML, dotenv and prose a quote opens a string only where a value can start
        // (`it's` is a word); in Markdown a backtick is not a string delimiter.
        if (c !== 34 && c !== 39) return false;
        const prev = i > this.lineStart ? this.text.charCodeAt(i - 1) : -1;
        return prev < 0 || !isWordChar(prev);
      }
    }
  }

  private newline(at: number): void {
    this.finishPending();
    this.ring = [];
    this.lineFirst = undefined;
    this.lineSecond = undefined;
    this.lineCount = 0;
    this.flow = false;
    this.lineStart = at;
  }

  /** Tokens of the current line so far: the first two, and the last few (patterns look back at most 8). */
  private lineFirst: Tok | undefined;
  private lineSecond: Tok | undefined;
  private lineCount = 0;

  private push(t: Tok): void {
    if (this.lineCount === 0) this.lineFirst = t;
    else if (this.lineCount === 1) this.lineSecond = t;
    this.lineCount++;
    this.ring.push(t);
    if (this.ring.length > 32) this.ring.splice(0, 24);
  }

  lexPass(): void {
    const { text, n, meter } = this;
    let i = 0;
    while (i < n) {
      meter.steps++;
      const c = text.charCodeAt(i);
      if (c === LF) {
        i++;
        this.newline(i);
        continue;
      }
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (this.mode === 'notebook') {
        if (c === 34) {
          i++;
          continue;
        }
        if (c === 92) {
          const d = this.code(i + 1);
          if (d === 110) {
            i += 2;
            this.newline(i);
            continue;
          }
          if (d === 34) {
            i = this.escapedString(i);
            continue;
          }
          i += 2;
          continue;
        }
      }
      if (this.pending) this.finishPending(true);
      if (this.unquotedValues && this.expectsUnquoted(c)) {
        i = this.unquoted(i);
        continue;
      }
      if (this.opensString(i, c)) {
        i = this.string(i, c);
        continue;
      }
      if (isWordChar(c)) {
        let j = i + 1;
        while (j < n && isWordChar(text.charCodeAt(j))) j++;
        meter.steps += j - i;
        this.onWord({ k: 'w', start: i, end: j, cs: i, ce: j, text: j - i <= MAX_KEY * 2 ? text.slice(i, j) : undefined });
        i = j;
        continue;
      }
      if (isOpChar(c)) {
        let j = i + 1;
        while (j < n && j - i < 3 && isOpChar(text.charCodeAt(j)) && !(text.charCodeAt(j) === 47 && text.charCodeAt(j - 1) !== 47)) {
          meter.steps++;
          j++;
        }
        this.onOp({ k: 'p', start: i, end: j, cs: i, ce: j, text: text.slice(i, j) });
        i = j;
        continue;
      }
      // Other punctuation: brackets, commas, `#`, backticks in Markdown.
      if ((c === 123 || c === 91) && this.mode === 'yaml') this.flow = true;
      this.push({ k: 'p', start: i, end: i + 1, cs: i, ce: i + 1, text: text[i] });
      i++;
    }
    this.newline(n);
  }

  private string(i: number, q: number): number {
    const { text, n, meter } = this;
    let j = i + 1;
    const yamlSingle = q === 39 && (this.mode === 'yaml' || this.mode === 'dotenv');
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === LF) break;
      meter.steps++;
      if (c === 92 && !yamlSingle) {
        j += 2;
        continue;
      }
      if (c === q) {
        if (yamlSingle && text.charCodeAt(j + 1) === q) {
          j += 2;
          continue;
        }
        break;
      }
      j++;
    }
    if (j > n) j = n;
    const closed = j < n && text.charCodeAt(j) === q;
    const end = closed ? j + 1 : j;
    const tok: Tok = { k: 's', start: i, end, cs: i + 1, ce: j, text: j - (i + 1) <= MAX_VALUE ? text.slice(i + 1, j) : undefined };
    if (q === 96 && tok.text?.includes('${')) tok.interpolated = true;
    // A Python string prefix glued to the quote (`f"…"`, `rb'…'`).
    const prev = this.ring[this.ring.length - 1];
    if (prev && prev.k === 'w' && prev.end === i && prev.text !== undefined && STRING_PREFIXES.has(prev.text)) {
      this.ring.pop();
      if (/f/i.test(prev.text) && tok.text?.includes('{')) tok.interpolated = true;
      tok.start = prev.start;
    }
    if (!closed) tok.text = undefined;
    this.onString(tok);
    return end;
  }

  /** A notebook cell's string: delimited by `\"` inside the JSON string that holds the line. */
  private escapedString(i: number): number {
    const { text, n, meter } = this;
    let j = i + 2;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === LF || c === 34) break;
      meter.steps++;
      if (c === 92) {
        const d = text.charCodeAt(j + 1);
        if (d === 34 || d === 110) break;
        j += 2;
        continue;
      }
      j++;
    }
    const closed = text.charCodeAt(j) === 92 && text.charCodeAt(j + 1) === 34;
    const tok: Tok = { k: 's', start: i, end: closed ? j + 2 : j, cs: i + 2, ce: j, text: closed && j - i <= MAX_VALUE ? text.slice(i + 2, j) : undefined };
    this.onString(tok);
    return Math.max(tok.end, i + 2);
  }

  /** After `key:`/`key=` in a language with unquoted values, a value starts here. */
  private expectsUnquoted(c: number): boolean {
    if (c === 34 || c === 39) return false;
    const r = this.ring;
    const op = r[r.length - 1];
    const key = r[r.length - 2];
    if (!op || op.k !== 'p' || !key || (key.k !== 'w' && key.k !== 's')) return false;
    if (op.text !== '=' && op.text !== ':') return false;
    // `{`, `[`, `|`, `>`, `&`, `*`, `!` open YAML collections, block scalars, anchors, aliases and tags.
    if (this.mode === 'yaml' && '{[|>&*!'.includes(String.fromCharCode(c))) return false;
    return true;
  }

  private unquoted(i: number): number {
    const { text, n, meter } = this;
    let j = i;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (isSpace(c) || c === LF) break;
      if (this.flow && (c === 44 || c === 125 || c === 93)) break;
      if (this.mode === 'md' && (c === 96 || c === 124)) break;
      meter.steps++;
      j++;
    }
    const r = this.ring;
    const key = r[r.length - 2]!;
    const before = r[r.length - 3];
    const tok: Tok = { k: 'v', start: i, end: j, cs: i, ce: j, text: j - i <= MAX_VALUE ? text.slice(i, j) : undefined };
    this.push(tok);
    const cli = this.mode !== 'yaml' && this.mode !== 'dotenv' && (key.text?.startsWith('-') === true || (before?.k === 'w' && before.text?.startsWith('-') === true));
    this.pending = { key, value: tok, cli };
    return j;
  }

  /**
   * An unquoted value is the whole rest of its line: it is examined when the line ends, or
   * when what follows is a comment or closes a flow collection; any other token after it
   * means the value had spaces in it (prose), which is not a credential.
   */
  private finishPending(beforeToken = false): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    if (beforeToken && !p.cli) {
      const i = this.nextNonSpace(p.value.end);
      const c = this.code(i);
      const endsValue = c === 35 || c === LF || c < 0 || (this.flow && (c === 44 || c === 125 || c === 93)) || (this.mode === 'md' && (c === 96 || c === 124));
      if (!endsValue) return;
    }
    this.onValue(p.key, p.value, false);
  }

  private nextNonSpace(i: number): number {
    let k = i;
    while (k < this.n && isSpace(this.text.charCodeAt(k))) {
      this.meter.steps++;
      k++;
    }
    return k;
  }

  private onWord(t: Tok): void {
    const r = this.ring;
    const w = t.text;
    if (w !== undefined) {
      // Code reading a secret-named variable: process.env.JWT_SECRET.
      const first = w.charCodeAt(0);
      const m = first === 112 || first === 105 || first === 66 ? ENV_ACCESS.exec(w) : null;
      if (m) this.envRead(m[1]!, t.start + w.length - m[1]!.length, t.end);
      if (m && this.secretName(m[1]!)) this.envRef(m[1]!, t.start + w.length - m[1]!.length, t.end);
      const prev = r[r.length - 1];
      if (prev && prev.k === 'w' && (prev.text === 'import' || prev.text === 'from')) {
        for (const [mod, store] of PY_STORE_MODULES) if (w === mod || w.startsWith(mod + '.')) this.store(store, t);
        if (w === 'secretmanager' && r[r.length - 3]?.text === 'google.cloud') this.store('GCP Secret Manager', t);
        if (w === 'secrets' && r[r.length - 3]?.text === 'azure.keyvault') this.store('Azure Key Vault', t);
      }
      if (first === 115 && this.mode === 'yaml' && w.startsWith('secrets.') && w.length > 8) this.store('CI secrets', t);
      if (first === 118 && w.startsWith('vault.hashicorp.com/agent-inject')) this.store('Vault Agent Injector', t);
      if (this.mode === 'docker') this.dockerWord(t, w);
    }
    this.push(t);
  }

  private dockerWord(t: Tok, w: string): void {
    const first = this.lineFirst;
    if (!first || first.k !== 'w') return;
    const instr = first.text?.toUpperCase();
    if (instr !== 'ENV' && instr !== 'ARG') return;
    const prev = this.ring[this.ring.length - 1]!;
    // ENV NAME=value …, ENV NAME value, ARG NAME[=default]
    const nameSlot = this.lineCount === 1 || prev.k === 'v' || prev.k === 's';
    if (!nameSlot || !this.secretName(w)) return;
    const eq = this.code(t.end) === 61;
    const literal = instr === 'ENV' ? true : eq;
    if (this.envDecls.length < MAX_REFS) this.envDecls.push({ name: w, span: [t.start, t.end], literal });
  }

  private onOp(t: Tok): void {
    // In YAML, prose and Markdown, `:` assigns only when a space or the line end follows (`http://x` does not).
    if (t.text === ':' && (this.mode === 'yaml' || this.mode === 'text' || this.mode === 'md' || this.mode === 'docker')) {
      const next = this.code(t.end);
      if (!(next < 0 || isSpace(next) || next === LF)) t.text = ':·';
    }
    // `sops:` metadata at the top level of an encrypted file.
    const first = this.lineFirst;
    if (t.text === ':' && this.lineCount === 1 && first && first.start === this.lineStart && (first.text === 'sops' || first.text === 'sops_version')) this.store('sops (encrypted file)', first);
    this.push(t);
  }

  private onString(t: Tok): void {
    const r = this.ring;
    const content = t.text;
    if (content !== undefined) {
      const store = JS_STORE_MODULES.get(content);
      if (store && (this.mode === 'js' || this.mode === 'md' || this.mode === 'text')) this.store(store, t);
      const prev = r[r.length - 1];
      const prev2 = r[r.length - 2];
      if ((content === 'secretsmanager' || content === 'ssm') && prev?.text === '(' && prev2?.k === 'w' && /(?:client|resource)$/.test(prev2.text ?? '')) {
        this.store(content === 'ssm' ? 'AWS SSM Parameter Store' : 'AWS Secrets Manager', t);
      }
      if (this.mode === 'tf' && prev?.k === 'w' && (prev.text === 'resource' || prev.text === 'data')) {
        for (const [prefix, s] of TF_STORE_PREFIXES) if (content.startsWith(prefix)) this.store(s, t);
      }
      if (content.includes('${{ secrets.')) this.store('CI secrets', t);
      if (content.startsWith('vault.hashicorp.com/agent-inject')) this.store('Vault Agent Injector', t);
      // Env reads by name: process.env["X"], os.environ["X"], os.getenv("X").
      if ((prev?.text === '[' && prev2?.k === 'w' && ENV_OBJECTS.has(prev2.text ?? '')) || (prev?.text === '(' && prev2?.k === 'w' && ENV_GETTERS.has(prev2.text ?? ''))) this.envRead(content, t.cs, t.ce);
      if (prev?.text === '[' && prev2?.k === 'w' && ENV_OBJECTS.has(prev2.text ?? '') && this.secretName(content)) this.envRef(content, t.cs, t.ce);
      if (prev?.text === '(' && prev2?.k === 'w' && ENV_GETTERS.has(prev2.text ?? '') && this.secretName(content)) this.envRef(content, t.cs, t.ce);
      this.fallbackAt(t, content);
    }
    const key = this.keyBefore();
    if (key) this.onValue(key, t, true);
    else if (content !== undefined) this.connectionIn(t, content, undefined);
    this.push(t);
  }

  /** The key an assignment operator at the end of the ring assigns to. */
  private keyBefore(): Tok | undefined {
    const r = this.ring;
    const L = r.length;
    const op = r[L - 1];
    if (!op || op.k !== 'p' || !ASSIGN_OPS.has(op.text ?? '')) return undefined;
    const k = r[L - 2];
    if (!k) return undefined;
    // config["api_key"] = "…"
    if (k.k === 'p' && k.text === ']' && r[L - 3]?.k === 's' && r[L - 4]?.text === '[') return r[L - 3];
    // apiKey: string = "…" (a type annotation between the name and the value)
    if (k.k === 'w' && TYPE_WORDS.has(k.text ?? '') && r[L - 3]?.text === ':' && r[L - 4]?.k === 'w') return r[L - 4];
    if (k.k === 'w' || k.k === 's') return k;
    return undefined;
  }

  private keyName(key: Tok): string | undefined {
    const raw = key.text;
    if (raw === undefined || raw.length === 0 || raw.length > MAX_KEY) return undefined;
    return raw.replace(/^[-$@:]+/, '');
  }

  /** A value assigned to a key: a generic secret when the key is secret-named, else maybe a connection string. */
  private onValue(keyTok: Tok, t: Tok, quoted: boolean): void {
    const value = t.text;
    const key = this.keyName(keyTok);
    if (value === undefined) return;
    // The checks below read the value (bounded by MAX_VALUE) a constant number of times.
    this.meter.steps += value.length;
    if (key !== undefined && this.mode === 'docker' && key === '--mount' && value.startsWith('type=secret')) this.store('BuildKit secret mount', t);
    const kindStore = key === 'kind' && this.mode === 'yaml' ? K8S_STORE_KINDS.get(value) : undefined;
    if (kindStore) this.store(kindStore, t);
    const secretName = key !== undefined && this.secretName(key);
    if (this.mode === 'dotenv' && key !== undefined && this.isLineKey(keyTok)) this.dotenvEntry(keyTok, key, value, secretName);
    if (!secretName || t.interpolated) {
      this.connectionIn(t, value, key);
      return;
    }
    if (!genericValueOk(value, key)) {
      this.connectionIn(t, value, key);
      return;
    }
    const words = splitWords(key);
    const provider: ProviderId = words.includes('aws') && isAwsSecretKeyShape(value) ? 'aws-secret-access-key' : 'generic';
    this.add(this.lexed, { provider, via: 'assignment', span: [t.cs, t.ce], literal: quoted ? [t.start, t.end] : undefined, key }, value);
  }

  /** The key opens its line (after an optional `export`): a `.env` entry, not a word in a value. */
  private isLineKey(keyTok: Tok): boolean {
    return this.lineFirst === keyTok || (this.lineFirst?.text === 'export' && this.lineSecond === keyTok);
  }

  private dotenvEntry(keyTok: Tok, key: string, value: string, secretName: boolean): void {
    const url = isConnectionName(key) && (urlPassword(value) !== undefined || connectionPasswordSpan(value) !== undefined);
    if (!secretName && !url) return;
    const real = value.trim() !== '' && !isPlaceholderValue(value) && !looksEncrypted(value) && !isFileReference(value);
    if (this.dotenv.length < 1000) this.dotenv.push({ key, span: [keyTok.cs, keyTok.ce], real });
  }

  /** `Server=db;Password=…` and `…?password=…` inside any string or value. */
  private connectionIn(t: Tok, value: string, key: string | undefined): void {
    this.meter.steps += value.length;
    if (!/(?:password|pwd)\s*=/i.test(value)) return;
    const s = connectionPasswordSpan(value);
    if (!s) return;
    const pw = value.slice(s.start, s.end);
    if (pw.length < 4 || isPlaceholderValue(pw) || DEFAULT_PASSWORDS.has(pw.toLowerCase()) || /^[${%<]/.test(pw)) return;
    this.add(this.lexed, { provider: 'connection-url', via: 'connection', span: [t.cs + s.start, t.cs + s.end], key }, pw);
  }

  /** `process.env.X || 'lit'`, `os.getenv("X", "lit")`, `os.environ.get("X") or "lit"`. */
  private fallbackAt(t: Tok, content: string): void {
    this.meter.steps += content.length;
    const r = this.ring;
    const L = r.length;
    if (L < 2) return;
    const at = (k: number): Tok | undefined => r[L - k];
    let name: string | undefined;
    let fallback: SecretCandidate['fallback'];
    const op = at(1);
    if (op?.k === 'p' && (op.text === '||' || op.text === '??')) {
      const w = at(2);
      const m = w?.k === 'w' && w.text !== undefined ? ENV_ACCESS.exec(w.text) : null;
      if (m) {
        name = m[1];
        fallback = { start: w!.end, end: t.end, form: 'js' };
      } else if (w?.text === ']' && at(3)?.k === 's' && at(4)?.text === '[' && ENV_OBJECTS.has(at(5)?.text ?? '')) {
        name = at(3)!.text;
        fallback = { start: w.end, end: t.end, form: 'js' };
      }
    }
    // getter("X", "lit") / getter("X", default="lit")
    const call = (k: number): boolean => at(k)?.k === 'w' && ENV_GETTERS.has(at(k)!.text ?? '') && at(k - 1)?.text === '(' && at(k - 2)?.k === 's' && at(k - 3)?.text === ',';
    let fn: Tok | undefined;
    if (name === undefined && call(4)) fn = at(4);
    else if (name === undefined && at(1)?.text === '=' && at(2)?.text === 'default' && call(6)) fn = at(6);
    if (fn) {
      name = at(fn === at(4) ? 2 : 4)!.text;
      const close = this.nextNonSpace(t.end);
      fallback = this.code(close) === 41 ? { start: fn.start, end: close + 1, form: this.mode === 'js' ? 'js' : 'py' } : undefined;
      if (fallback && this.mode === 'js') fallback = undefined;
    }
    // getter("X") or "lit"
    if (name === undefined && at(1)?.k === 'w' && at(1)!.text === 'or' && at(2)?.text === ')' && at(3)?.k === 's' && at(4)?.text === '(' && at(5)?.k === 'w' && ENV_GETTERS.has(at(5)!.text ?? '')) {
      name = at(3)!.text;
      fallback = { start: at(5)!.start, end: t.end, form: 'py' };
    }
    if (name === undefined || !this.secretName(name)) return;
    if (t.interpolated && /\$\{|\{/.test(content)) return;
    if (!fallbackValueOk(content)) return;
    this.add(this.lexed, { provider: 'generic', via: 'fallback', span: [t.cs, t.ce], literal: [t.start, t.end], key: name, fallback }, content);
  }

  /** Code only, and names shaped like variables: `config("X")` and `env("x")` are not always env reads. */
  private envRead(name: string, start: number, end: number): void {
    if ((this.mode === 'js' || this.mode === 'py') && this.envReads.length < MAX_REFS && ENV_NAME.test(name)) this.envReads.push({ name, span: [start, end] });
  }

  private envRef(name: string, start: number, end: number): void {
    if (this.envRefs.length < MAX_REFS) this.envRefs.push({ name, span: [start, end] });
  }

  private store(store: string, t: Tok): void {
    if (this.stores.length < 50 && !this.stores.some((s) => s.store === store)) this.stores.push({ store, span: [t.start, t.end] });
  }

  // -------------------------------------------------------------------------------------

  /** Both passes' candidates, one per span: a provider match wins and takes the assignment's key. */
  result(): SecretFacts {
    const merged: SecretCandidate[] = [];
    const all = [...this.candidates, ...this.lexed].sort((a, b) => a.span[0] - b.span[0] || rank(a) - rank(b));
    for (const c of all) {
      const last = merged[merged.length - 1];
      if (last && c.span[0] < Math.max(last.span[1], last.span[0] + 1)) {
        // Overlap: keep the more specific one; an assignment lends its key, literal and fallback.
        const [keep, drop] = rank(c) < rank(last) ? [c, last] : [last, c];
        if (drop.via === 'assignment' || drop.via === 'fallback' || drop.via === 'connection') {
          keep.key ??= drop.key;
          if (drop.literal && drop.span[0] === keep.span[0] && drop.span[1] === keep.span[1]) keep.literal ??= drop.literal;
          keep.fallback ??= drop.fallback;
        }
        merged[merged.length - 1] = keep;
        continue;
      }
      merged.push(c);
    }
    const candidates = merged.slice(0, MAX_CANDIDATES);
    for (const c of candidates) {
      const from = c.fallback?.start ?? c.literal?.[0] ?? c.span[0];
      const to = c.fallback?.end ?? c.literal?.[1] ?? c.span[1];
      if (from <= c.span[0] && to >= c.span[1] && c.span[0] - from <= 256 && to - c.span[1] <= 256) c.around = [this.text.slice(from, c.span[0]), this.text.slice(c.span[1], to)];
    }
    return { candidates, envRefs: this.envRefs, envReads: this.envReads, envDecls: this.envDecls, stores: this.stores, dotenv: this.dotenv };
  }
}

/** Lower is more specific. */
function rank(c: SecretCandidate): number {
  switch (c.via) {
    case 'block':
    case 'token':
      return 0;
    case 'url':
      return 1;
    case 'connection':
      return 2;
    case 'fallback':
      return 3;
    case 'assignment':
      return c.provider === 'aws-secret-access-key' ? 0 : 4;
  }
}

function isFileReference(v: string): boolean {
  if (/^(?:\/|\.\.?\/|~\/|[A-Za-z]:\\|file:)/.test(v)) return true;
  const dot = v.lastIndexOf('.');
  return dot > 0 && v.length - dot <= 12 && FILE_EXTENSIONS.has(v.slice(dot + 1).toLowerCase()) && /^[\w./-]+$/.test(v);
}

/** A fallback default counts unless it is empty, a placeholder, encrypted or a file path. */
function fallbackValueOk(v: string): boolean {
  if (v.trim() === '' || v.length > MAX_VALUE) return false;
  return !isPlaceholderValue(v) && !looksEncrypted(v) && !isFileReference(v) && !v.includes('://');
}

/**
 * Whether a value assigned to a secret-named key can be a credential at all (the rule then
 * weighs its entropy): 8 to MAX_VALUE characters without white space; not a placeholder,
 * interpolation, encrypted value, digest, password hash, UUID, file path, URL (URLs are
 * judged by their password), number, boolean, or a name (an env var name such as
 * `DB_PASSWORD`, or words that only repeat the key's: `Password` for `password`).
 */
export function genericValueOk(v: string, key: string): boolean {
  if (v.length < 8 || v.length > MAX_VALUE) return false;
  for (let k = 0; k < v.length; k++) if (v.charCodeAt(k) <= 32) return false;
  if (isPlaceholderValue(v) || looksEncrypted(v) || looksLikeDigest(v) || isFileReference(v)) return false;
  if (v.includes('://')) return false;
  const lower = v.toLowerCase();
  if (LITERAL_WORDS.has(lower) || /^[-+]?[0-9][0-9._:-]*$/.test(v)) return false;
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v)) return false;
  // One lowercase word (`development`, `production`): a setting, not a random secret.
  if (/^[a-z]+$/.test(v)) return false;
  if (/^[A-Za-z]+(?:[-_.][A-Za-z]+)*$/.test(v)) {
    const keyWords = new Set(splitWords(key));
    if (splitWords(v).every((w) => keyWords.has(w) || FILLER_KEY_WORDS.has(w) || isSecretName(w))) return false;
  }
  return true;
}
