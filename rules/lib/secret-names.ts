// Secret-looking names and values, shared by every rule that asks "is this a credential
// given as a literal?" (k8s/secret-in-env, compose/secret-in-env, docker/secret-in-build,
// secrets/*). Names are decided by words, never by substring, so that `TOKEN_TTL` and
// `PASSWORD_MIN_LENGTH` are not secrets while `DB_PASSWORD` and `apiKey` are.

/**
 * Splits an identifier into lowercase words: snake_case, kebab-case, dotted.names,
 * camelCase and acronyms (`AWSSecretAccessKey` → aws, secret, access, key).
 */
export function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
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
  if (/^[xX*.#_-]{3,}$/.test(v) || /^(?:x{3,}[-_ ]?)+$/i.test(v)) return true;
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
