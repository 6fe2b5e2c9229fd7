// Secret-looking names and values, shared by every rule that asks "is this a credential
// given as a literal?" (k8s/secret-in-env, compose/secret-in-env, docker/secret-in-build,
// secrets/*). Names are decided by words, never by substring, so that `TOKEN_TTL` and
// `PASSWORD_MIN_LENGTH` are not secrets while `DB_PASSWORD` and `apiKey` are.

/**
 * Splits an identifier into lowercase words: snake_case, kebab-case, dotted.names,
 * camelCase and acronyms (`AWSSecretAccessKey` → aws, secret, access, key).
 */
export function splitWords(name: string): string[] {
  return splitAcronyms(name.replace(/([a-z0-9])([A-Z])/g, '$1 $2'))
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const isLower = (c: number): boolean => c >= 97 && c <= 122;

/**
 * `s.replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')` in linear time: a space before the last
 * capital of every run of two or more capitals that a lowercase letter follows
 * (`HTTPServer` → `HTTP Server`). The regular expression retries the run from each of
 * its letters, which is quadratic on a long run of capitals.
 */
function splitAcronyms(s: string): string {
  let out = '';
  let from = 0;
  let i = 0;
  while (i < s.length) {
    if (!isUpper(s.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    while (j < s.length && isUpper(s.charCodeAt(j))) j++;
    if (j - i >= 2 && j < s.length && isLower(s.charCodeAt(j))) {
      out += s.slice(from, j - 1) + ' ';
      from = j - 1;
    }
    i = j;
  }
  return from === 0 ? s : out + s.slice(from);
}

/** Words that make a name secret on their own. */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'credential',
  'credentials',
  'creds',
  'apikey',
  'privatekey',
  'accesskey',
  'secretkey',
  'clientsecret',
  'authtoken',
  'accesstoken',
  'refreshtoken',
]);

/** Secret words that also count at the end of a run-together word (`dbpassword`, `githubtoken`). */
const SECRET_SUFFIXES = ['password', 'passwd', 'passphrase', 'secret', 'token', 'apikey', 'privatekey', 'accesskey', 'secretkey', 'credentials'];

/** `<qualifier> key` is a secret (`API_KEY`, `PRIVATE_KEY`, `SIGNING_KEY`); `PUBLIC_KEY`, `CACHE_KEY` are not. */
const KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'api',
  'private',
  'access',
  'secret',
  'signing',
  'encryption',
  'master',
  'auth',
  'account',
  'storage',
  'shared',
  'hmac',
  'jwt',
  'session',
  'app',
  'license',
  'tls',
  'ssl',
  'ssh',
  'service',
  'subscription',
]);

/**
 * Words that, after the secret word, say the variable is *about* the secret rather than
 * the secret itself: `TOKEN_TTL`, `PASSWORD_MIN_LENGTH`, `SECRET_NAME`, `API_KEY_FILE`,
 * `ACCESS_KEY_ID` (an identifier, which is not secret; its pair `SECRET_ACCESS_KEY` is).
 */
const NON_SECRET_AFTER: ReadonlySet<string> = new Set([
  // lifetimes and sizes
  'ttl', 'expiry', 'expires', 'expiration', 'lifetime', 'timeout', 'interval', 'duration', 'age', 'rotation',
  'seconds', 'secs', 'sec', 'ms', 'millis', 'minutes', 'mins', 'hours', 'days',
  'length', 'len', 'min', 'max', 'size', 'count', 'limit', 'limits', 'bits', 'rounds', 'cost', 'complexity',
  // where the secret lives, what it is called
  'file', 'files', 'path', 'dir', 'directory', 'location', 'mount', 'name', 'names', 'ref', 'source', 'store',
  'backend', 'provider', 'env', 'var', 'field', 'param', 'header', 'cookie', 'prefix', 'suffix',
  'url', 'uri', 'endpoint', 'host', 'issuer', 'audience', 'scope', 'scopes', 'realm',
  // identifiers and descriptions
  'id', 'ids', 'type', 'kind', 'format', 'algorithm', 'alg', 'mode', 'strategy', 'policy', 'pattern', 'regex',
  'version', 'hint', 'label', 'description', 'usage',
  // switches
  'enabled', 'disabled', 'enable', 'disable', 'required', 'optional', 'auth',
]);

/** Words that, right before the secret word, make it a count: `MAX_TOKENS`, `NUM_TOKENS`. */
const COUNT_BEFORE: ReadonlySet<string> = new Set(['max', 'min', 'num', 'number', 'count', 'total']);

function isSecretWord(words: readonly string[], i: number): boolean {
  const w = words[i]!;
  const prev = words[i - 1];
  if (prev !== undefined && COUNT_BEFORE.has(prev)) return false;
  if (SECRET_WORDS.has(w)) return true;
  // `pass` alone is common shorthand (`SMTP_PASS`) but only as the last word (`PASS_THROUGH` is not).
  if (w === 'pass' && i === words.length - 1) return true;
  if (w === 'key' && prev !== undefined && KEY_QUALIFIERS.has(prev)) return true;
  if (w.length > 6 && SECRET_SUFFIXES.some((s) => w.length > s.length && w.endsWith(s))) return true;
  return false;
}

/**
 * True when a variable/key name says it holds a secret: one of its words is a secret
 * word (password, secret, token, credentials …, or `<api|private|access|signing…> key`)
 * and no word after the last such word makes it a property of the secret (TTL, length,
 * file, path, name, id, url …). Connection URLs (`DATABASE_URL`) are not secret by name:
 * ask `hasUrlCredentials` about their value.
 */
export function isSecretName(name: string): boolean {
  const words = splitWords(name);
  // The shell's working directory, not a password.
  if (words.length === 1 && (words[0] === 'pwd' || words[0] === 'oldpwd')) return false;
  let last = -1;
  for (let i = 0; i < words.length; i++) if (isSecretWord(words, i)) last = i;
  if (last < 0) return false;
  return !words.slice(last + 1).some((w) => NON_SECRET_AFTER.has(w));
}

/** Names that hold connection strings (`DATABASE_URL`, `REDIS_URI`, `SENTRY_DSN`, `CONNECTION_STRING`). */
export function isConnectionName(name: string): boolean {
  const words = splitWords(name);
  const last = words[words.length - 1];
  if (last === undefined) return false;
  if (['url', 'uri', 'dsn', 'dburl', 'databaseurl'].includes(last)) return true;
  return last === 'string' && words[words.length - 2] === 'connection';
}

/** Normalised forms (lowercase, separators removed) of values that stand for "fill this in". */
const PLACEHOLDER_WORDS: ReadonlySet<string> = new Set([
  'changeme', 'changeit', 'changethis', 'replaceme', 'replacethis', 'placeholder', 'dummy', 'fake', 'sample', 'example',
  'todo', 'tbd', 'fixme', 'redacted', 'removed', 'hidden', 'masked', 'none', 'null', 'nil', 'undefined', 'empty',
  'notset', 'unset', 'notasecret', 'secretgoeshere', 'passwordgoeshere', 'tokengoeshere', 'keygoeshere',
  'yourpassword', 'yoursecret', 'yourtoken', 'yourapikey', 'yourkey', 'mypassword', 'mysecret', 'mytoken',
  'insertpasswordhere', 'inserttokenhere', 'insertkeyhere', 'secrethere', 'passwordhere', 'tokenhere', 'keyhere',
]);

/**
 * True when a literal stands for a value to be filled in rather than a credential: empty,
 * an interpolation or template (`${DB_PASSWORD}`, `$DB_PASSWORD`, `{{ .Values.pw }}`,
 * `%DB_PASSWORD%`, `$(DB_PASSWORD)`), an angle-bracket slot (`<your-password>`), a run of
 * mask characters (`xxx`, `****`, `...`), or a well-known filler word (`changeme`,
 * `your-api-key-here`, `REDACTED`).
 */
export function looksLikePlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (/^\$\{[^}]*\}$/.test(v) || /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v) || /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(v)) return true;
  if (/^\{\{.*\}\}$/s.test(v) || /^%[A-Za-z_][A-Za-z0-9_]*%$/.test(v)) return true;
  if (/^<[^<>]*>$/.test(v) || /^\[[^[\]]*\]$/.test(v)) return true;
  if (/^[xX*.#_-]{3,}$/.test(v) || isXGroups(v)) return true;
  const norm = v.toLowerCase().replace(/[\s_.\-<>]+/g, '');
  if (PLACEHOLDER_WORDS.has(norm)) return true;
  // "your-…-here", "insert-…-here", "put-your-…"
  const words = splitWords(v);
  const first = words[0];
  const last = words[words.length - 1];
  if (words.length >= 2 && (first === 'your' || first === 'insert' || first === 'enter' || first === 'put') && (last === 'here' || words.length <= 4)) return true;
  return false;
}

/**
 * True when a value is an absolute file path (`/run/secrets/db_password`,
 * `/var/run/secrets/gcp/key.json`): it says where a secret is mounted, not what it is,
 * so a secret-named variable (`GOOGLE_APPLICATION_CREDENTIALS`) holding one is no literal.
 */
export function looksLikeFilePath(value: string): boolean {
  return /^\/[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)+$/.test(value.trim());
}

/**
 * `/^(?:x{3,}[-_ ]?)+$/i.test(v)` in linear time: runs of three or more x's, each
 * optionally followed by one `-`, `_` or space (`xxxx-xxxx`, `XXX XXX `). The regular
 * expression backtracks exponentially on a long run of x's that ends in another character.
 */
function isXGroups(v: string): boolean {
  let run = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 120 || c === 88) run++;
    else if ((c === 45 || c === 95 || c === 32) && run >= 3) run = 0;
    else return false;
  }
  // Ends after a run of three or more x's, or right after a separator that closed one.
  return v.length > 0 && (run >= 3 || run === 0);
}

/** The password (decoded) of a URL-shaped value, or undefined when it has none. */
export function urlPassword(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.password === '') return undefined;
  try {
    return decodeURIComponent(url.password);
  } catch {
    return url.password;
  }
}

/**
 * True when the value is a URL (`scheme://…`) whose user-info carries a password:
 * `postgres://user:pw@db/app`, `redis://:pw@cache:6379`. A user without a password
 * (`https://key@sentry.example/1`) or no user-info at all is not a credential.
 * Parsed with the WHATWG `URL` class.
 */
export function hasUrlCredentials(value: string): boolean {
  return urlPassword(value) !== undefined;
}

/**
 * The password of a connection string, when it carries one: the URL's (see
 * `hasUrlCredentials`), else a `password=`/`pwd=` entry of a key-value connection string
 * or URL query (`Server=db;User Id=app;Password=pw`, `host=db password=pw`, `…?password=pw`).
 */
export function connectionPassword(value: string): string | undefined {
  const fromUrl = urlPassword(value);
  if (fromUrl !== undefined) return fromUrl;
  const m = /(?:^|[;\s?&])(?:password|pwd)\s*=\s*([^;\s&]*)/i.exec(value);
  return m && m[1] ? m[1] : undefined;
}

/**
 * Masks a secret for display: values of 16 or more characters (code points) show their
 * first 4 and last 4 characters around '…' (`AKIA…MPLE`); shorter ones show nothing
 * but '****', whatever their length, so that the mask does not even give the length away.
 */
export function maskSecret(value: string): string {
  const chars = Array.from(value);
  if (chars.length < 16) return '****';
  return chars.slice(0, 4).join('') + '…' + chars.slice(-4).join('');
}

/**
 * The key under which a variable is kept in a Kubernetes Secret: the name lowercased,
 * `_` → `-` (`DB_PASSWORD` → `db-password`), and any character a Secret key may not hold
 * (outside `[-._a-zA-Z0-9]`) also turned into `-`.
 */
export function secretKeyName(varName: string): string {
  const key = varName.toLowerCase().replace(/_/g, '-').replace(/[^-._a-z0-9]/g, '-');
  return key === '' ? 'value' : key;
}

// ---------------------------------------------------------------------------------------
// Values: how random a literal is, and what it is when it is not a credential. Used by the
// secrets pass (server/src/engine/parse/secrets.ts) and the secrets/* rules. Every function
// here runs in time linear in its input; callers bound the input anyway.

/** Shannon entropy of the value's characters (code units), in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** An environment variable name for a key: its words in SCREAMING_SNAKE (`apiKey` → `API_KEY`, `db.password` → `DB_PASSWORD`). */
export function screamingSnake(name: string): string {
  const words = splitWords(name);
  return words.length === 0 ? 'SECRET' : words.join('_').toUpperCase();
}

/** Words that, after the secret word, say the value is a digest of the secret (`PASSWORD_HASH`, `TOKEN_SHA256`), not the secret. */
const DIGEST_WORDS: ReadonlySet<string> = new Set(['hash', 'hashed', 'digest', 'checksum', 'fingerprint', 'md5', 'sha', 'sha1', 'sha256', 'sha384', 'sha512', 'bcrypt', 'crypt', 'hmac']);

/** True when a secret-looking name holds a digest of the secret (`password_hash`, `apiKeySha256`). */
export function isDigestName(name: string): boolean {
  const words = splitWords(name);
  let last = -1;
  for (let i = 0; i < words.length; i++) if (SECRET_WORDS.has(words[i]!) || words[i] === 'key' || words[i] === 'pass') last = i;
  return words.slice(last + 1).some((w) => DIGEST_WORDS.has(w));
}

/** Filler words that, as a word of a value, mark it as an example rather than a credential. */
const FILLER_WORDS: ReadonlySet<string> = new Set([
  'changeme', 'changeit', 'replace', 'replaceme', 'placeholder', 'dummy', 'fake', 'sample', 'example', 'examples', 'redacted', 'todo', 'fixme', 'tbd',
  'yourpassword', 'yoursecret', 'yourtoken', 'yourkey', 'yourapikey', 'notreal', 'notasecret',
]);

function hasInterpolation(v: string): boolean {
  return v.includes('${') || v.includes('{{') || v.includes('#{') || v.includes('<%') || v.includes('$(') || /%\([A-Za-z_]\w*\)s/.test(v) || /^\$[A-Za-z_]\w*/.test(v) || /^%[A-Za-z_]\w*%/.test(v);
}

/** The value is mostly one repeated character (`xxxxxxxxxxxx1`, `000000000000`, `••••••••`). */
function mostlyOneChar(v: string): boolean {
  if (v.length < 6) return false;
  const counts = new Map<number, number>();
  let max = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    const n = (counts.get(c) ?? 0) + 1;
    counts.set(c, n);
    if (n > max) max = n;
  }
  return max / v.length >= 0.6;
}

/**
 * A value that stands for a credential rather than being one: everything
 * `looksLikePlaceholder` knows, plus values that interpolate anything (`pre-${X}`,
 * `<%= ENV["X"] %>`), contain an angle-bracket slot or a filler word as one of their words
 * (`my-example-key`, `REPLACE_WITH_YOUR_KEY`, `your_api_key_here`, `sk_live_changeme`), or are
 * mostly one repeated character (`xxxxxxxxxxxxxxxx`, `****`, `•••`).
 */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim();
  if (v.length > 4096) return false;
  if (looksLikePlaceholder(v)) return true;
  if (hasInterpolation(v)) return true;
  if (/<[^<>]{1,80}>/.test(v)) return true;
  if (mostlyOneChar(v)) return true;
  // Elided in documentation: `ghp_…`, `sk_live_...`.
  if (v.includes('…') || v.includes('...')) return true;
  if (/^[*•.·x]+$/i.test(v)) return true;
  const words = splitWords(v);
  if (words.some((w) => FILLER_WORDS.has(w))) return true;
  const first = words[0];
  const last = words[words.length - 1];
  if (first === 'replace' || first === 'insert' || first === 'enter' || first === 'put' || first === 'add' || first === 'set') {
    if (words.includes('with') || words.includes('your') || words.includes('here') || words.includes('real')) return true;
  }
  if (words.includes('your') && (last === 'here' || words.length <= 5)) return true;
  if (last === 'here' && words.length >= 2 && words.length <= 6) return true;
  return false;
}

/**
 * An encrypted value, safe to commit: sops (`ENC[AES256_GCM,…`), Ansible Vault
 * (`$ANSIBLE_VAULT;…`), Vault transit (`vault:v1:…`), Spring Cloud Config (`{cipher}…`),
 * age and PGP messages, AWS KMS ciphertext blobs (`AQICAH…`).
 */
export function looksEncrypted(value: string): boolean {
  const v = value.trim();
  return (
    v.startsWith('ENC[') ||
    v.startsWith('$ANSIBLE_VAULT;') ||
    /^vault:v\d+:/.test(v.slice(0, 16)) ||
    v.startsWith('{cipher}') ||
    v.startsWith('age1') ||
    v.startsWith('-----BEGIN AGE ENCRYPTED FILE-----') ||
    v.startsWith('-----BEGIN PGP MESSAGE-----') ||
    v.startsWith('AQICAH')
  );
}

const HEX_DIGEST_LENGTHS: ReadonlySet<number> = new Set([32, 40, 56, 64, 96, 128]);

/**
 * A digest or identifier rather than a credential: a UUID, an integrity string
 * (`sha512-…`, `sha256:…`), a password hash (`$2b$12$…`, `$argon2id$…`, `pbkdf2_sha256$…`),
 * or, when `hexDigest` is set, a bare hex string of a digest's length (a git SHA, an MD5).
 */
export function looksLikeDigest(value: string, hexDigest = false): boolean {
  const v = value.trim();
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return true;
  if (/^(?:sha1|sha224|sha256|sha384|sha512|md5|blake2b|blake3)[-:]/i.test(v.slice(0, 10))) return true;
  if (/^\$(?:2[abxy]?|argon2(?:id|i|d)|5|6|scrypt|pbkdf2[-\w]*)\$/.test(v.slice(0, 24))) return true;
  if (/^(?:pbkdf2_sha\d+|bcrypt_sha256|argon2)\$/.test(v.slice(0, 24))) return true;
  if (hexDigest && HEX_DIGEST_LENGTHS.has(v.length) && /^[0-9a-f]+$/i.test(v)) return true;
  return false;
}

/**
 * Where the password of a connection string sits in it, as offsets into `value`: the
 * `password=`/`pwd=` entry that `connectionPassword` reads from key-value connection strings
 * and URL queries (`Server=db;Password=pw`, `…?password=pw`). URLs' user-info is not read here.
 */
export function connectionPasswordSpan(value: string): { start: number; end: number } | undefined {
  if (value.length > 4096) return undefined;
  const m = /(?:^|[;\s?&])(?:password|pwd)\s*=\s*([^;\s&]*)/i.exec(value);
  if (!m || !m[1]) return undefined;
  const end = m.index + m[0].length;
  return { start: end - m[1].length, end };
}
