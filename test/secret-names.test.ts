// The shared secret-name module: names decided by words, placeholders, credentials in
// connection strings, masking, and Secret key names.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import k8sSecretInEnv from '../rules/k8s/secret-in-env';
import {
  connectionPassword,
  hasUrlCredentials,
  isConnectionName,
  isSecretName,
  looksLikeFilePath,
  looksLikePlaceholder,
  maskSecret,
  secretKeyName,
  splitWords,
  urlPassword,
} from '../rules/lib/secret-names';
import { runFixture } from './harness';

describe('secret-names', () => {
  describe('splitWords', () => {
    const cases: [string, string[]][] = [
      ['DB_PASSWORD', ['db', 'password']],
      ['db-password', ['db', 'password']],
      ['dbPassword', ['db', 'password']],
      ['AWSSecretAccessKey', ['aws', 'secret', 'access', 'key']],
      ['apiKey', ['api', 'key']],
      ['APIKey', ['api', 'key']],
      ['spring.datasource.password', ['spring', 'datasource', 'password']],
      ['OAuth2ClientSecret', ['o', 'auth2', 'client', 'secret']],
      ['__TOKEN__', ['token']],
      ['', []],
    ];
    for (const [name, words] of cases) it(`${JSON.stringify(name)} → ${words.join(' ')}`, () => assert.deepEqual(splitWords(name), words));
  });

  describe('isSecretName', () => {
    const secret = [
      'PASSWORD',
      'DB_PASSWORD',
      'POSTGRES_PASSWORD',
      'MYSQL_ROOT_PASSWORD',
      'db-password',
      'dbPassword',
      'DBPASSWORD',
      'REDIS_PASSWD',
      'DB_PWD',
      'SMTP_PASS',
      'GPG_PASSPHRASE',
      'SECRET',
      'JWT_SECRET',
      'CLIENT_SECRET',
      'OAUTH_CLIENT_SECRET',
      'clientSecret',
      'SECRET_KEY',
      'SECRET_KEY_BASE',
      'DJANGO_SECRET_KEY',
      'TOKEN',
      'GITHUB_TOKEN',
      'githubToken',
      'NPM_AUTH_TOKEN',
      'ACCESS_TOKEN',
      'REFRESH_TOKEN',
      'SLACK_BOT_TOKEN',
      'API_KEY',
      'APIKEY',
      'apiKey',
      'STRIPE_API_KEY',
      'PRIVATE_KEY',
      'SSH_PRIVATE_KEY',
      'privateKey',
      'AWS_SECRET_ACCESS_KEY',
      'AWSSecretAccessKey',
      'ACCESS_KEY',
      'SIGNING_KEY',
      'ENCRYPTION_KEY',
      'AZURE_STORAGE_ACCOUNT_KEY',
      'TLS_KEY',
      'APP_KEY',
      'CREDENTIALS',
      'DB_CREDENTIALS',
      'SERVICE_CREDENTIAL',
      'REGISTRY_CREDS',
      'DB_PASSWORD_PROD',
      'PASSWORD_HASH',
      'TOKEN_KEY',
    ];
    const notSecret = [
      '',
      'PORT',
      'LOG_LEVEL',
      'TOKEN_TTL',
      'TOKEN_TTL_SECONDS',
      'ACCESS_TOKEN_EXPIRY',
      'PASSWORD_MIN_LENGTH',
      'MIN_PASSWORD_LENGTH',
      'PASSWORD_RESET_TIMEOUT',
      'SECRET_NAME',
      'SECRETS_DIR',
      'PASSWORD_FILE',
      'POSTGRES_PASSWORD_FILE',
      'API_KEY_FILE',
      'TOKEN_PATH',
      'SECRET_PATH',
      'AWS_ACCESS_KEY_ID',
      'ACCESS_KEY_ID',
      'KEY_ID',
      'CLIENT_ID',
      'PUBLIC_KEY',
      'STRIPE_PUBLISHABLE_KEY',
      'CACHE_KEY',
      'CACHE_KEY_PREFIX',
      'PRIMARY_KEY',
      'MAX_TOKENS',
      'OPENAI_MAX_TOKENS',
      'MAX_TOKEN',
      'TOKENIZER_PATH',
      'TOKEN_URL',
      'TOKEN_ENDPOINT',
      'CSRF_TOKEN_HEADER',
      'BYPASS',
      'PASS_THROUGH',
      'PASSWORDLESS',
      'PASSWORD_AUTH',
      'BASIC_AUTH_ENABLED',
      'SECRET_STORE_BACKEND',
      'PWD',
      'OLDPWD',
      'DATABASE_URL',
      'SENTRY_DSN',
      'KEYCLOAK_REALM',
      'JWT_ALGORITHM',
      'JWT_ISSUER',
    ];
    for (const name of secret) it(`${name} is secret`, () => assert.equal(isSecretName(name), true));
    for (const name of notSecret) it(`${JSON.stringify(name)} is not secret`, () => assert.equal(isSecretName(name), false));
  });

  describe('isConnectionName', () => {
    const yes = ['DATABASE_URL', 'REDIS_URI', 'SENTRY_DSN', 'databaseUrl', 'CONNECTION_STRING', 'MONGO_URL'];
    const no = ['DATABASE_HOST', 'URL_PREFIX', 'STRING', 'DB_NAME', ''];
    for (const name of yes) it(`${name} holds a connection string`, () => assert.equal(isConnectionName(name), true));
    for (const name of no) it(`${JSON.stringify(name)} does not`, () => assert.equal(isConnectionName(name), false));
  });

  describe('looksLikePlaceholder', () => {
    const placeholders = [
      '',
      '   ',
      'changeme',
      'CHANGEME',
      'change-me',
      'change_me',
      'changeit',
      'replace-me',
      '<your-password>',
      '<password>',
      '[token]',
      '${DB_PASSWORD}',
      '${DB_PASSWORD:-}',
      '$DB_PASSWORD',
      '$(DB_PASSWORD)',
      '{{ .Values.db.password }}',
      '%DB_PASSWORD%',
      'xxx',
      'XXXXXXXX',
      'xxxx-xxxx-xxxx',
      '****',
      '...',
      'your-api-key-here',
      'your_token',
      'insert-token-here',
      'REDACTED',
      'placeholder',
      'dummy',
      'TODO',
      'null',
    ];
    const real = ['hunter2', 's3cr3t-Pa55', 'password123', 'postgres://app:pw@db/app', 'AKIAIOSFODNN7EXAMPLE', 'x', 'xy', '$$(ESCAPED)', 'abc${X}def', 'yourself-and-many-other-words-ok'];
    for (const v of placeholders) it(`${JSON.stringify(v)} is a placeholder`, () => assert.equal(looksLikePlaceholder(v), true));
    for (const v of real) it(`${JSON.stringify(v)} is not a placeholder`, () => assert.equal(looksLikePlaceholder(v), false));
  });

  describe('hasUrlCredentials / urlPassword / connectionPassword', () => {
    const withPassword: [string, string][] = [
      ['postgres://user:pw@db/app', 'pw'],
      ['postgresql://app:s%40cret@db:5432/app?sslmode=require', 's@cret'],
      ['redis://:hunter2@cache:6379/0', 'hunter2'],
      ['mongodb+srv://admin:pa55@cluster0.example.net/test', 'pa55'],
      ['amqp://guest:guest@rabbitmq:5672/', 'guest'],
      ['  https://u:p@example.com  ', 'p'],
      ['postgres://app:$(DB_PASSWORD)@db/app', '$(DB_PASSWORD)'],
    ];
    const without = [
      'postgres://db:5432/app',
      'postgres://user@db/app',
      'https://public-key@o0.ingest.sentry.example/1',
      'https://example.com/path?password',
      'db:5432',
      'user:pw@db',
      'not a url',
      '',
      'mailto:someone@example.com',
    ];
    for (const [v, pw] of withPassword) {
      it(`${v} carries a password`, () => {
        assert.equal(hasUrlCredentials(v), true);
        assert.equal(urlPassword(v), pw);
        assert.equal(connectionPassword(v), pw);
      });
    }
    for (const v of without) it(`${JSON.stringify(v)} carries no URL password`, () => assert.equal(hasUrlCredentials(v), false));

    const kv: [string, string | undefined][] = [
      ['Server=db;Database=app;User Id=sa;Password=Pa55w0rd;', 'Pa55w0rd'],
      ['host=db port=5432 user=app password=hunter2 dbname=app', 'hunter2'],
      ['jdbc:postgresql://db/app?user=app&password=pw&ssl=true', 'pw'],
      ['Server=db;Database=app;Trusted_Connection=True;', undefined],
      ['Server=db;Password=;', undefined],
      ['postgres://db:5432/app', undefined],
    ];
    for (const [v, pw] of kv) it(`connectionPassword(${JSON.stringify(v)}) = ${String(pw)}`, () => assert.equal(connectionPassword(v), pw));
  });

  describe('maskSecret', () => {
    it('shows nothing of short values, whatever their length (0, 1, 15)', () => {
      assert.equal(maskSecret(''), '****');
      assert.equal(maskSecret('a'), '****');
      assert.equal(maskSecret('a'.repeat(15)), '****');
      assert.equal(maskSecret('hunter2'), '****');
    });
    it('shows the first and last 4 characters of values of 16+ characters', () => {
      assert.equal(maskSecret('0123456789abcdef'), '0123…cdef');
      assert.equal(maskSecret('AKIAIOSFODNN7EXAMPLE'), 'AKIA…MPLE');
      const forty = 'abcd' + 'x'.repeat(32) + 'wxyz';
      assert.equal(forty.length, 40);
      assert.equal(maskSecret(forty), 'abcd…wxyz');
    });
    it('counts code points, never splitting astral characters', () => {
      const emoji = '😀';
      // 15 astral characters are 30 UTF-16 units but still a short value.
      assert.equal(maskSecret(emoji.repeat(15)), '****');
      const v = '😀😁😂🤣' + 'a'.repeat(8) + '😃😄😅😆';
      assert.equal(Array.from(v).length, 16);
      assert.equal(maskSecret(v), '😀😁😂🤣…😃😄😅😆');
      for (const ch of Array.from(maskSecret(v))) assert.ok(ch.length === 1 || ch.codePointAt(0)! > 0xffff, 'no lone surrogate');
    });
    it('never contains the middle of the value', () => {
      const v = 'HEAD' + 'middle-part-of-secret' + 'TAIL';
      const m = maskSecret(v);
      assert.ok(!m.includes('middle'));
      assert.equal(Array.from(m).length, 9);
    });
  });

  describe('looksLikeFilePath', () => {
    for (const v of ['/run/secrets/db_password', '/var/run/secrets/gcp/key.json', ' /etc/app/token ']) it(`${JSON.stringify(v)} is a path`, () => assert.ok(looksLikeFilePath(v)));
    for (const v of ['/token', 'run/secrets/x', '/a b/c', 's3cr3t/value', '//x', 'C:\\secrets\\key', '']) it(`${JSON.stringify(v)} is not`, () => assert.ok(!looksLikeFilePath(v)));
  });

  describe('secretKeyName', () => {
    const cases: [string, string][] = [
      ['DB_PASSWORD', 'db-password'],
      ['API_KEY', 'api-key'],
      ['apiKey', 'apikey'],
      ['spring.datasource.password', 'spring.datasource.password'],
      ['MY VAR$', 'my-var-'],
      ['', 'value'],
    ];
    for (const [name, key] of cases) it(`${JSON.stringify(name)} → ${key}`, () => assert.equal(secretKeyName(name), key));
  });

  describe('as k8s/secret-in-env uses it', () => {
    const fixture = path.join(__dirname, 'rules', 'k8s', 'secret-in-env', 'invalid.yaml');
    it('never puts a value in a message, and reports placeholders at info', async () => {
      const run = await runFixture(fixture, [k8sSecretInEnv]);
      const findings = run.outcome.findings.filter((f) => f.ruleId === 'k8s/secret-in-env');
      assert.ok(findings.length > 5);
      const text = [...run.files.values()][0]!;
      for (const f of findings) {
        const value = text.slice(f.span.start, f.span.end).replace(/^["']|["']$/g, '');
        assert.ok(!f.message.includes(value.trim().split('\n')[0]!), `message leaks the value: ${f.message}`);
        assert.ok(!/hunter2|m1gr4te|r3dis-pw|Sv3c/.test(f.message), `message leaks a value: ${f.message}`);
        assert.equal(f.severity, f.messageId === 'placeholder' ? 'info' : 'error', f.message);
      }
      assert.ok(findings.some((f) => f.messageId === 'placeholder'));
    });
  });
});
