// Credential formats with real structure: which prefixes, alphabets, lengths and checksums
// providers use, and which documented example keys stand for them. Every check here reads
// a bounded number of characters from a given position; the scanner that calls them
// (server/src/engine/parse/secrets.ts) only calls them at word starts and skips past what
// they match, so that a whole file is scanned in linear time. No regular expression here
// runs over more than a bounded slice.

export type ProviderId =
  | 'aws-access-key-id'
  | 'aws-secret-access-key'
  | 'github-token'
  | 'gitlab-token'
  | 'slack-token'
  | 'slack-webhook'
  | 'stripe-key'
  | 'google-api-key'
  | 'twilio-api-key'
  | 'sendgrid-api-key'
  | 'npm-token'
  | 'private-key'
  | 'jwt'
  | 'connection-url'
  | 'basic-auth'
  | 'bearer-token'
  | 'generic';

export interface ProviderInfo {
  /** What the finding calls it: "Stripe secret key". */
  label: string;
  /** The environment variable a fix reads it from when no assignment names it. */
  envName: string;
}

export const PROVIDERS: Readonly<Record<ProviderId, ProviderInfo>> = {
  'aws-access-key-id': { label: 'AWS access key ID', envName: 'AWS_ACCESS_KEY_ID' },
  'aws-secret-access-key': { label: 'AWS secret access key', envName: 'AWS_SECRET_ACCESS_KEY' },
  'github-token': { label: 'GitHub token', envName: 'GITHUB_TOKEN' },
  'gitlab-token': { label: 'GitLab token', envName: 'GITLAB_TOKEN' },
  'slack-token': { label: 'Slack token', envName: 'SLACK_TOKEN' },
  'slack-webhook': { label: 'Slack webhook URL', envName: 'SLACK_WEBHOOK_URL' },
  'stripe-key': { label: 'Stripe secret key', envName: 'STRIPE_SECRET_KEY' },
  'google-api-key': { label: 'Google API key', envName: 'GOOGLE_API_KEY' },
  'twilio-api-key': { label: 'Twilio API key', envName: 'TWILIO_API_KEY' },
  'sendgrid-api-key': { label: 'SendGrid API key', envName: 'SENDGRID_API_KEY' },
  'npm-token': { label: 'npm token', envName: 'NPM_TOKEN' },
  'private-key': { label: 'private key', envName: 'PRIVATE_KEY' },
  jwt: { label: 'JSON Web Token', envName: 'JWT' },
  'connection-url': { label: 'connection string password', envName: 'DATABASE_URL' },
  'basic-auth': { label: 'basic-auth password', envName: 'BASIC_AUTH' },
  'bearer-token': { label: 'bearer token', envName: 'API_TOKEN' },
  generic: { label: 'secret', envName: 'SECRET' },
};

/** Counts the characters the scanner reads, so that tests can bound the work. */
export interface Meter {
  steps: number;
}

export interface TokenMatch {
  provider: ProviderId;
  start: number;
  end: number;
  /** A checksum in the token itself holds (GitHub and npm tokens). */
  verified?: boolean;
  /** A test-mode key (Stripe `sk_test_`): it reaches test data only. */
  testMode?: boolean;
}

// Character classes by code unit.
export function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
/** Word characters of tokens: letters, digits, `_` and `-`. */
export function isTokenChar(c: number): boolean {
  return isAlnum(c) || c === 95 || c === 45;
}
function isBase32Upper(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 50 && c <= 55);
}
function isUpperAlnum(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}
function isLowerHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
/** Standard and URL-safe base64 alphabets together. */
export function isBase64Char(c: number): boolean {
  return isAlnum(c) || c === 43 || c === 47 || c === 61 || c === 45 || c === 95;
}

function all(text: string, from: number, to: number, ok: (c: number) => boolean, meter: Meter): boolean {
  for (let k = from; k < to; k++) {
    meter.steps++;
    if (!ok(text.charCodeAt(k))) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// Checksums: GitHub and npm tokens end in the CRC32 of their random part, base62-encoded
// (https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/).

const CRC_TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(s: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < s.length; i++) crc = CRC_TABLE[(crc ^ s.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `n` in base62, left-padded with `0` to `width` digits. */
export function base62(n: number, width: number): string {
  let out = '';
  let v = n;
  while (v > 0) {
    out = BASE62[v % 62]! + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/** The 6-character checksum a GitHub/npm token carries after its 30 random characters. */
export function tokenChecksum(random: string): string {
  return base62(crc32(random), 6);
}

/** True when a 36-character token body (after `ghp_` or `npm_`) ends in the checksum of its first 30 characters. */
export function checksumHolds(body: string): boolean {
  return body.length === 36 && tokenChecksum(body.slice(0, 30)) === body.slice(30);
}

// ---------------------------------------------------------------------------------------
// Documented example keys: published in provider docs, harmless, reported as "example key".
// Assembled from parts so that this file does not itself hold them in one piece.

const EXAMPLE_KEYS: ReadonlySet<string> = new Set([
  'AKIAIOSFODNN7' + 'EXAMPLE',
  'AKIAI44QH8DHB' + 'EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYEXAMPLEKEY',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvb' + 'EXAMPLEKEY',
  'sk_' + 'test_4eC39HqLyjWDarjtT1zdp7dc',
  'sk_' + 'test_BQokikJOvBiI2HlWgH4olfQ2',
  'sk_' + 'test_26PHem9AhJZvU623DfE1x4sd',
  'rk_' + 'test_4eC39HqLyjWDarjtT1zdp7dc',
]);

/** The signature of the example token on jwt.io and in countless tutorials. */
const EXAMPLE_JWT_SIGNATURES: ReadonlySet<string> = new Set(['SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_' + 'adQssw5c']);

/**
 * True for documented example keys (AWS's example access key ID and secret key,
 * Stripe's documentation test keys, jwt.io's example token) and for provider-format
 * tokens that spell EXAMPLE in capitals, as AWS's own examples do.
 */
export function isExampleKey(value: string): boolean {
  if (value.length > 4096) return false;
  if (EXAMPLE_KEYS.has(value)) return true;
  if (value.startsWith('eyJ')) {
    const dot = value.lastIndexOf('.');
    if (dot > 0 && EXAMPLE_JWT_SIGNATURES.has(value.slice(dot + 1))) return true;
  }
  return value.includes('EXAMPLE');
}

// ---------------------------------------------------------------------------------------
// Token formats, checked at a word start. `i` is where the word starts and `j` where its
// run of token characters ([A-Za-z0-9_-]) ends; a match must end at a word boundary.

function boundaryAt(text: string, k: number): boolean {
  return k >= text.length || !isTokenChar(text.charCodeAt(k));
}

function awsAccessKeyId(text: string, i: number, j: number, meter: Meter): TokenMatch | undefined {
  if (j - i !== 20) return undefined;
  const p = text.slice(i, i + 4);
  const known = p === 'AKIA' || p === 'ASIA' || p === 'ABIA' || p === 'ACCA' || (p.startsWith('A3T') && isUpperAlnum(p.charCodeAt(3)));
  if (!known || !all(text, i + 4, j, isBase32Upper, meter)) return undefined;
  return { provider: 'aws-access-key-id', start: i, end: j };
}

function githubToken(text: string, i: number, j: number, meter: Meter): TokenMatch | undefined {
  if (text.startsWith('github_pat_', i)) {
    const n = j - i - 11;
    if (n < 60 || n > 255 || !all(text, i + 11, j, (c) => isAlnum(c) || c === 95, meter)) return undefined;
    return { provider: 'github-token', start: i, end: j };
  }
  if (j - i !== 40 || text.charCodeAt(i) !== 103 || text.charCodeAt(i + 1) !== 104 || text.charCodeAt(i + 3) !== 95) return undefined;
  if (!'pousr'.includes(text[i + 2]!)) return undefined;
  if (!all(text, i + 4, j, isAlnum, meter)) return undefined;
  return { provider: 'github-token', start: i, end: j, verified: checksumHolds(text.slice(i + 4, j)) };
}

function gitlabToken(text: string, i: number, j: number, meter: Meter): TokenMatch | undefined {
  for (const prefix of ['glpat-', 'gldt-', 'glrt-', 'glptt-']) {
    if (!text.startsWith(prefix, i)) continue;
    const n = j - i - prefix.length;
    if (n < 20 || n > 80 || !all(text, i + prefix.length, j, isTokenChar, meter)) return undefined;
    return { provider: 'gitlab-token', start: i, end: j };
  }
  return undefined;
}

function slackToken(text: string, i: number, j: number, meter: Meter): TokenMatch | undefined {
  let k = i;
  if (text.startsWith('xoxe.', k)) k += 5;
  const prefixed = (text.startsWith('xox', k) && 'abposre'.includes(text[k + 3] ?? '') && text.charCodeAt(k + 4) === 45) || text.startsWith('xapp-', k);
  if (!prefixed) return undefined;
  const body = k + 5;
  if (j - body < 20 || j - body > 250) return undefined;
  // Hyphen-separated parts, one of them a numeric id of six or more digits, the last one long.
  let digits = 0;
  let longestDigits = 0;
  let part = 0;
  let onlyDigits = true;
  for (let m = body; m < j; m++) {
    meter.steps++;
    const c = text.charCodeAt(m);
    if (c === 45) {
      if (onlyDigits) longestDigits = Math.max(longestDigits, digits);
      digits = 0;
      part = 0;
      onlyDigits = true;
      continue;
    }
    if (!isAlnum(c)) return undefined;
    part++;
    if (isDigit(c)) digits++;
    else onlyDigits = false;
  }
  if (longestDigits < 6 || part < 8) return undefined;
  return { provider: 'slack-token', start: i, end: j };
}

function slackWebhook(text: string, i: number, meter: Meter): TokenMatch | undefined {
  const prefix = 'hooks.slack.com/services/';
  if (!text.startsWith(prefix, i)) return undefined;
  let k = i + prefix.length;
  const part = (first: number | undefined, min: number, max: number, ok: (c: number) => boolean): boolean => {
    const from = k;
    if (first !== undefined && text.charCodeAt(k) !== first) return false;
    while (k < text.length && k - from < max && ok(text.charCodeAt(k))) {
      meter.steps++;
      k++;
    }
    return k - from >= min;
  };
  if (!part(84 /* T */, 9, 14, isUpperAlnum) || text.charCodeAt(k++) !== 47) return undefined;
  if (!part(66 /* B */, 9, 14, isUpperAlnum) || text.charCodeAt(k++) !== 47) return undefined;
  if (!part(undefined, 24, 24, isAlnum) || !boundaryAt(text, k)) return undefined;
  return { provider: 'slack-webhook', start: i, end: k };
}

function stripeKey(text: string, i: number, j: number, meter: Meter): TokenMatch | undefined {
  for (const prefix of ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_', 'whsec_']) {
    if (!text.startsWith(prefix, i)) continue;
    const n = j - i - prefix.length;
    if (n < 16 || n > 247 || !all(text, i + prefix.length, j, isAlnum, meter)) return undefined;
    return { provider: 'stripe-key', start: i, end: j, testMode: prefix.includes('test') ? true : undefined };
  }
  return undefined;
}

function googleApiKey(text: string, i: number, j: number, meter: Meter): TokenMatch | undefined {
  if (j - i !== 39 || !text.startsWith('AIza', i) || !all(text, i + 4, j, isTokenChar, meter)) return undefined;
  return { provider: 'google-api-key', start: i, end: j };
}

function twilioApiKey(text: string, i: number, j: number, meter: Meter): TokenMatch | undefined {
  if (j - i !== 34 || !text.startsWith('SK', i) || !all(text, i + 2, j, isLowerHex, meter)) return undefined;
  return { provider: 'twilio-api-key', start: i, end: j };
}

function sendgridKey(text: string, i: number, j: number, meter: Meter): TokenMatch | undefined {
  if (j - i !== 2 || !text.startsWith('SG.', i)) return undefined;
  let k = i + 3;
  const run = (n: number): boolean => {
    const from = k;
    while (k < text.length && k - from <= n && isTokenChar(text.charCodeAt(k))) {
      meter.steps++;
      k++;
    }
    return k - from === n;
  };
  if (!run(22) || text.charCodeAt(k++) !== 46 || !run(43) || !boundaryAt(text, k)) return undefined;
  return { provider: 'sendgrid-api-key', start: i, end: k };
}

function npmToken(text: string, i: number, j: number, meter: Meter): TokenMatch | undefined {
  if (j - i !== 40 || !text.startsWith('npm_', i) || !all(text, i + 4, j, isAlnum, meter)) return undefined;
  return { provider: 'npm-token', start: i, end: j, verified: checksumHolds(text.slice(i + 4, j)) };
}

/**
 * The provider token that starts at `i`, whose run of token characters ends at `j`, if any.
 * Reads at most a bounded number of characters past `j` (SendGrid's dotted parts, Slack
 * webhook paths); every other check reads only the word itself.
 */
export function tokenAt(text: string, i: number, j: number, meter: Meter): TokenMatch | undefined {
  meter.steps++;
  switch (text.charCodeAt(i)) {
    case 65 /* A */:
      return awsAccessKeyId(text, i, j, meter) ?? googleApiKey(text, i, j, meter);
    case 103 /* g */:
      return githubToken(text, i, j, meter) ?? gitlabToken(text, i, j, meter);
    case 120 /* x */:
      return slackToken(text, i, j, meter);
    case 104 /* h */:
      return slackWebhook(text, i, meter);
    case 115 /* s */:
    case 114 /* r */:
    case 119 /* w */:
      return stripeKey(text, i, j, meter);
    case 83 /* S */:
      return twilioApiKey(text, i, j, meter) ?? sendgridKey(text, i, j, meter);
    case 110 /* n */:
      return npmToken(text, i, j, meter);
    default:
      return undefined;
  }
}

/** An AWS secret access key's shape: 40 characters of standard base64 (it is told apart from other base64 by the key it is assigned to). */
export function isAwsSecretKeyShape(value: string): boolean {
  if (value.length !== 40) return false;
  let upper = 0;
  let lower = 0;
  let digit = 0;
  for (let k = 0; k < 40; k++) {
    const c = value.charCodeAt(k);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
    else if (isDigit(c)) digit++;
    else if (c !== 43 && c !== 47) return false;
  }
  return upper > 0 && lower > 0 && digit > 0;
}

// ---------------------------------------------------------------------------------------
// Private key blocks.

/** PEM/OpenSSH/PGP block labels that hold a private key (`-----BEGIN <label>-----`). */
export const PRIVATE_KEY_LABELS: ReadonlySet<string> = new Set([
  'PRIVATE KEY',
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
  'DSA PRIVATE KEY',
  'OPENSSH PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
  'PGP PRIVATE KEY BLOCK',
  'SSH2 ENCRYPTED PRIVATE KEY',
]);

// ---------------------------------------------------------------------------------------
// JSON Web Tokens.

/** Decodes base64url (or base64) text to a UTF-8 string; undefined when it is not base64. */
export function decodeBase64(s: string): string | undefined {
  if (s.length === 0 || s.length > 16384) return undefined;
  for (let k = 0; k < s.length; k++) if (!isBase64Char(s.charCodeAt(k))) return undefined;
  try {
    return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}

function jsonObject(s: string | undefined): Record<string, unknown> | undefined {
  if (s === undefined || !s.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export type JwtVerdict = 'token' | 'public' | 'unsigned' | undefined;

/**
 * Whether three base64url parts make a signed JWT: the header decodes to a JSON object
 * with an `alg`, the payload to a JSON object, and the signature is there (`alg: none`
 * tokens carry no secret). A Supabase-style anonymous key (`"role": "anon"`) is public by
 * design: 'public'.
 */
export function jwtVerdict(header: string, payload: string, signature: string): JwtVerdict {
  if (header.length > 2048 || payload.length > 16384) return undefined;
  const h = jsonObject(decodeBase64(header));
  if (!h || typeof h.alg !== 'string') return undefined;
  const p = jsonObject(decodeBase64(payload));
  if (!p) return undefined;
  if (h.alg.toLowerCase() === 'none' || signature.length < 16) return 'unsigned';
  if (p.role === 'anon') return 'public';
  return 'token';
}
