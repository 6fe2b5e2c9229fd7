// The shared secret-name module: names decided by words, placeholders, credentials in
// connection strings, masking, and Secret key names.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import k8sSecretInEnv from '../rules/k8s/secret-in-env';
import {
  connectionPassword,
  connectionPasswordSpan,
  hasUrlCredentials,
  isDigestName,
  isPlaceholderValue,
  looksEncrypted,
  looksLikeDigest,
  screamingSnake,
  shannonEntropy,
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

  describe('linear time on long input (the same answers as the regular expressions they replace)', () => {
    it('splitWords splits acronyms as before, without retrying runs of capitals', () => {
      const cases: [string, string[]][] = [
        ['HTTPServerToken', ['http', 'server', 'token']],
        ['ABCdef', ['ab', 'cdef']],
        ['AWSSecretAccessKey', ['aws', 'secret', 'access', 'key']],
        ['XMLHttpRequest', ['xml', 'http', 'request']],
        ['AB', ['ab']],
      ];
      for (const [name, words] of cases) assert.deepEqual(splitWords(name), words, name);
      const long = 'A'.repeat(200_000) + 'b';
      assert.deepEqual(splitWords(long), ['a'.repeat(199_999), 'ab']);
    });
    it('looksLikePlaceholder reads x-groups without backtracking', () => {
      for (const v of ['xxx', 'XXXX-XXXX', 'xxx_xxx_', 'xxx xxx']) assert.ok(looksLikePlaceholder(v), v);
      for (const v of ['xx', 'xxx  xxx', 'xxxy', 'xxxa', 'x'.repeat(100_000) + '!']) assert.ok(!looksLikePlaceholder(v), v);
      assert.ok(isSecretName('A'.repeat(200_000) + '_TOKEN'));
    });
  });

  describe('shannonEntropy', () => {
    it('is 0 for one repeated character and log2(n) for n distinct ones', () => {
      assert.equal(shannonEntropy(''), 0);
      assert.equal(shannonEntropy('aaaa'), 0);
      assert.equal(shannonEntropy('abcd'), 2);
      assert.equal(shannonEntropy('0123456789abcdef'), 4);
    });
    it('ranks random keys above words', () => assert.ok(shannonEntropy('q8Zr2LpX0vNw5TbK') > shannonEntropy('passwordpassword') + 1));
  });

  describe('screamingSnake', () => {
    const cases: [string, string][] = [
      ['apiKey', 'API_KEY'],
      ['db.password', 'DB_PASSWORD'],
      ['X-Api-Key', 'X_API_KEY'],
      ['--password', 'PASSWORD'],
      ['JWT_SECRET', 'JWT_SECRET'],
      ['', 'SECRET'],
    ];
    for (const [name, env] of cases) it(`${JSON.stringify(name)} → ${env}`, () => assert.equal(screamingSnake(name), env));
  });

  describe('isDigestName', () => {
    for (const n of ['password_hash', 'PASSWORD_HASHED', 'apiKeySha256', 'token_digest', 'secret_checksum', 'SECRET_KEY_MD5']) it(`${n} holds a digest`, () => assert.ok(isDigestName(n)));
    for (const n of ['password', 'hash_password', 'API_KEY', 'hmacSecret', 'sha_token']) it(`${n} does not`, () => assert.ok(!isDigestName(n)));
  });

  describe('isPlaceholderValue', () => {
    const placeholders = [
      'changeme', '${DB_PASSWORD}', 'pre-${SUFFIX}', '{{ .Values.password }}', '<%= ENV["SECRET"] %>', '%(password)s', 'REPLACE_WITH_YOUR_KEY',
      'your_api_key_here', '<your-key>', 'Bearer <token>', 'xxxxxxxxxxxxxxxx', 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx', '********', '••••••••', 'my-example-key',
      'dummy-token-1234', 'example', 'put-your-token-here', 'token_goes_here', 'paste-here', 'ghp_…', 'sk_live_...',
    ];
    const real = ['hunter2-but-longer', 'q8Zr2LpX0vNw5TbK', 'django-insecure-4k$9m!x2q', 'superSecret', 'Tr0ub4dor&3', 'correct-horse-battery-staple', 'here-we-go-again-7'];
    for (const v of placeholders) it(`${JSON.stringify(v)} is a placeholder`, () => assert.ok(isPlaceholderValue(v)));
    for (const v of real) it(`${JSON.stringify(v)} is not`, () => assert.ok(!isPlaceholderValue(v)));
  });

  describe('looksEncrypted / looksLikeDigest', () => {
    for (const v of ['ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]', '$ANSIBLE_VAULT;1.1;AES256', 'vault:v1:8SDd3WHDOjf7mq69CyCqYjBXAiQQAVZRkFM13ok481zoCmHnSeDX9vyf7w==', '{cipher}AQA5Yb', 'AQICAHhwm0YaISJeRtJpZLm6ZX']) {
      it(`${v.slice(0, 20)}… is encrypted`, () => assert.ok(looksEncrypted(v)));
    }
    it('plain values are not encrypted', () => assert.ok(!looksEncrypted('hunter2-but-longer')));
    for (const v of ['123e4567-e89b-12d3-a456-426614174000', 'sha512-AbC+dEf/==', 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', '$2b$12$KIXQJ6m1lJ1sQ5E6x1Jj8uR2o4nD3k9n5Jm0pZ8lQe1sY2w3e4r5t', '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG', 'pbkdf2_sha256$600000$abc$def']) {
      it(`${v.slice(0, 24)}… is a digest`, () => assert.ok(looksLikeDigest(v)));
    }
    it('bare hex of a digest length counts only when asked', () => {
      const sha1 = '3f786850e387550fdab836ed7e6dc881de23001b';
      assert.ok(!looksLikeDigest(sha1));
      assert.ok(looksLikeDigest(sha1, true));
      assert.ok(!looksLikeDigest('3f786850e387550f', true));
    });
  });

  describe('connectionPasswordSpan', () => {
    const cases: [string, string | undefined][] = [
      ['Server=db;Database=app;User Id=sa;Password=Pa55w0rd;', 'Pa55w0rd'],
      ['jdbc:postgresql://db/app?user=app&password=pw&ssl=true', 'pw'],
      ['host=db password = hunter2 dbname=app', 'hunter2'],
      ['Server=db;Password=;', undefined],
      ['postgres://user:pw@db/app', undefined],
    ];
    for (const [v, pw] of cases) {
      it(`${JSON.stringify(v)} → ${String(pw)}`, () => {
        const s = connectionPasswordSpan(v);
        assert.equal(s ? v.slice(s.start, s.end) : undefined, pw);
        if (pw !== undefined) assert.equal(connectionPassword(v), pw, 'agrees with connectionPassword');
      });
    }
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
