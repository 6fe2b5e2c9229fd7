// The secrets pass runs in linear time whatever the input: 1 MB adversarial texts (long
// runs, repeated prefixes of every format it knows, unclosed quotes and blocks) in every
// mode it reads, with the work counted in characters read (the scanner's meter), not
// timed. Doubling the input at most doubles the work.
import * as assert from 'node:assert/strict';
import { kindsByName } from '../server/src/engine/classify';
import { scanSecrets } from '../server/src/engine/parse/secrets';

const MB = 1 << 20;
/** Characters read per character of input, at most. */
const MAX_STEPS_PER_CHAR = 8;

function fill(unit: string, size = MB): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

const ADVERSARIAL: [string, (size: number) => string][] = [
  ['one letter', (n) => fill('a', n)],
  ['capitals (acronym splitting)', (n) => fill('A', n)],
  ['AWS prefix repeated', (n) => fill('AKIA', n)],
  ['x run then another character', (n) => fill('x', n - 1) + '!'],
  ['BEGIN markers', (n) => fill('-----BEGIN ', n)],
  ['private key headers without END', (n) => fill('-----BEGIN RSA PRIVATE KEY-----\n', n)],
  ['private key header then base64 without END', (n) => '-----BEGIN PRIVATE KEY-----\n' + fill('QUJD', n - 28)],
  ['dashes', (n) => fill('-', n)],
  ['JWT prefix then one run', (n) => 'eyJ' + fill('A', n - 3)],
  ['JWT headers repeated', (n) => fill('eyJhbGciOiJIUzI1NiJ9.', n)],
  ['JWT-like dots', (n) => fill('eyJa.', n)],
  ['base64 run', (n) => fill('QmFzZTY0K/dGV4dA+=', n)],
  ['double quotes', (n) => fill('"', n)],
  ['single quotes', (n) => fill("'", n)],
  ['backticks', (n) => fill('`', n)],
  ['escaped quotes', (n) => fill('\\"', n)],
  ['interpolation openers', (n) => fill('${', n)],
  ['shell defaults without close', (n) => fill('${A:-', n)],
  ['interpolation with a long name', (n) => '${' + fill('A', n - 2)],
  ['scheme separators', (n) => fill('://', n)],
  ['URL with a long user-info', (n) => 'postgres://u:' + fill('p', n - 13)],
  ['URL user-info separators', (n) => fill('a://b:c', n)],
  ['password entries', (n) => fill('password=', n)],
  ['secret key then a long value', (n) => 'password: ' + fill('Zq8', n - 10)],
  ['assignments', (n) => fill('a=', n)],
  ['YAML keys', (n) => fill('token: ', n)],
  ['quoted assignments', (n) => fill('api_key="v",', n)],
  ['env fallbacks', (n) => fill('process.env.JWT_SECRET||"', n)],
  ['getenv calls', (n) => fill('os.getenv("SECRET_KEY", ', n)],
  ['Bearer then one run', (n) => 'Bearer ' + fill('A1b2', n - 7)],
  ['Bearer repeated', (n) => fill('Bearer ', n)],
  ['Basic repeated', (n) => fill('Basic QUJD ', n)],
  ['SendGrid prefix repeated', (n) => fill('SG.', n)],
  ['Slack prefix then digits', (n) => 'xoxb-' + fill('1', n - 5)],
  ['Slack webhook prefix repeated', (n) => fill('hooks.slack.com/services/T', n)],
  ['GitHub prefix repeated', (n) => fill('ghp_', n)],
  ['brackets', (n) => fill('[{', n)],
  ['newlines', (n) => fill('\n', n)],
  ['notebook escapes', (n) => fill('\\n\\"', n)],
];

/** Every way the pass reads a file (quoted-only code, unquoted values, prose, notebooks …). */
const ALL_MODES = ['config.ts', 'app.py', 'values.yaml', 'data.json', '.env', 'README.md', 'notes.txt', 'nb.ipynb', 'Dockerfile', 'main.tf'];
/** One of each lexer family, for the per-input runs (all of them run on the combined input). */
const MODES = ['config.ts', 'app.py', 'values.yaml', '.env', 'README.md', 'nb.ipynb'];

function steps(text: string, file: string): number {
  const meter = { steps: 0 };
  scanSecrets(text, kindsByName(file), file, meter);
  return meter.steps;
}

describe('secrets pass: linear work on adversarial input', function () {
  this.timeout(300_000);

  for (const [name, make] of ADVERSARIAL) {
    it(`${name}: ≤ ${MAX_STEPS_PER_CHAR} reads per character in every mode, and twice the input costs at most about twice the work`, () => {
      const text = make(MB);
      assert.ok(text.length >= MB - 64 && text.length <= MB + 64, `input is about 1 MB (${text.length})`);
      const half = make(MB / 2);
      for (const file of MODES) {
        const s = steps(text, file);
        assert.ok(s <= MAX_STEPS_PER_CHAR * text.length, `${file}: ${s} steps for ${text.length} characters`);
        if (file !== 'values.yaml' && file !== 'config.ts') continue;
        const h = steps(half, file);
        assert.ok(s <= 2.2 * h + 1000, `${file}: ${h} steps for half the input, ${s} for all of it`);
      }
    });
  }

  it('all of them on alternating lines, in every mode', () => {
    const lines = ADVERSARIAL.map(([, make]) => make(Math.floor(MB / ADVERSARIAL.length)));
    const text = lines.join('\n');
    for (const file of ALL_MODES) {
      const s = steps(text, file);
      assert.ok(s <= MAX_STEPS_PER_CHAR * text.length, `${file}: ${s} steps for ${text.length} characters`);
    }
  });
});
