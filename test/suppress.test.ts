// Inline suppression: directives read from real comments in each syntax (never from
// strings), their grammar and targets, and the whole path through the engine's scan():
// suppressed findings, reasons, unused and reasonless directives, and scores.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import metaSuppressionReason from '../rules/meta/suppression-reason';
import metaUnusedSuppression from '../rules/meta/unused-suppression';
import { commentStyle, commentSyntax, findComments, type CommentSyntax } from '../server/src/engine/comments';
import { scan, type ScanOutcome } from '../server/src/engine/index';
import { defineRule, type Rule } from '../server/src/engine/rule';
import { findDirectives, parseDirective } from '../server/src/engine/suppress';
import type { ArtifactKind } from '../server/src/engine/types';
import { compare, findingsOf, runFixture } from './harness';

/** Directives as `kind target rules -- reason`, the form that is easiest to read in a diff. */
function directives(text: string, kinds: ArtifactKind[], file?: string): string[] {
  return findDirectives(text, kinds, file).map((d) => `${d.kind} ${d.targetLine} ${d.rules.join(',')}${d.reason !== undefined ? ` -- ${d.reason}` : ''}`);
}

/** The comments' texts, with their tokens, as the tokenizer delimits them. */
function comments(text: string, syntax: CommentSyntax, file?: string): string[] {
  return findComments(text, syntax, file).map((c) => text.slice(c.start, c.end));
}

const lines = (...ls: string[]): string => ls.join('\n') + '\n';

describe('suppress: directive grammar', () => {
  it('reads kinds, rule ids separated by commas or spaces, and the reason after --', () => {
    assert.deepEqual(parseDirective(' readiness-ignore-line k8s/probes -- batch job '), { kind: 'line', rules: ['k8s/probes'], reason: 'batch job' });
    assert.deepEqual(parseDirective('readiness-ignore-next-line k8s/probes, k8s/replicas -- a -- b'), { kind: 'next-line', rules: ['k8s/probes', 'k8s/replicas'], reason: 'a -- b' });
    assert.deepEqual(parseDirective('readiness-ignore-file k8s/probes k8s/replicas,k8s/probes--why'), { kind: 'file', rules: ['k8s/probes', 'k8s/replicas'], reason: 'why' });
  });

  it('has no reason when nothing follows --, or -- is missing', () => {
    assert.deepEqual(parseDirective('readiness-ignore-line k8s/probes'), { kind: 'line', rules: ['k8s/probes'] });
    assert.deepEqual(parseDirective('readiness-ignore-line k8s/probes --'), { kind: 'line', rules: ['k8s/probes'] });
    assert.deepEqual(parseDirective('readiness-ignore-line k8s/probes --   '), { kind: 'line', rules: ['k8s/probes'] });
    // A quick fix's placeholder is not a reason.
    assert.deepEqual(parseDirective('readiness-ignore-next-line k8s/probes -- <reason>'), { kind: 'next-line', rules: ['k8s/probes'] });
    // Words after the ids without `--` are not a reason (and not rule ids).
    assert.deepEqual(parseDirective('readiness-ignore-line k8s/probes because it is a job'), { kind: 'line', rules: ['k8s/probes'] });
  });

  it('ignores malformed directives', () => {
    for (const body of [
      'readiness-ignore-line',
      'readiness-ignore-line -- no rule given',
      'readiness-ignore-line probes -- not an id',
      'readiness-ignore-lines k8s/probes -- unknown kind',
      'readiness-ignore k8s/probes -- no kind',
      'TODO: readiness-ignore-line k8s/probes -- not at the start of the comment',
    ]) {
      assert.equal(parseDirective(body), undefined, body);
    }
  });

  it('reads a directive spread over a block comment', () => {
    const text = lines('/**', ' * readiness-ignore-next-line http/route-auth', ' *   -- public webhook,', ' *   signature checked', ' */', "app.post('/hook', h);");
    assert.deepEqual(directives(text, ['ts']), ['next-line 6 http/route-auth -- public webhook, signature checked']);
  });
});

describe('suppress: targets', () => {
  it('next-line applies to the next line that is neither blank nor only a comment; stacked directives accumulate', () => {
    const text = lines(
      'a: 1',
      '# readiness-ignore-next-line k8s/probes -- one',
      '',
      '# an ordinary comment',
      '# readiness-ignore-next-line k8s/replicas -- two',
      'b: 2 # trailing',
      'c: 3',
    );
    assert.deepEqual(directives(text, ['yaml']), ['next-line 6 k8s/probes -- one', 'next-line 6 k8s/replicas -- two']);
  });

  it('next-line on a code line applies to the following code line', () => {
    assert.deepEqual(directives(lines('const a = 1; // readiness-ignore-next-line x/y -- r', '', 'const b = 2;'), ['ts']), ['next-line 3 x/y -- r']);
  });

  it('next-line with no code after it targets the line after it (and so matches nothing)', () => {
    assert.deepEqual(directives('x = 1\n# readiness-ignore-next-line x/y -- r\n\n# end\n', ['python']), ['next-line 3 x/y -- r']);
  });

  it('line applies to its own line', () => {
    assert.deepEqual(directives(lines('a: 1', 'b: 2 # readiness-ignore-line k8s/probes -- r'), ['yaml']), ['line 2 k8s/probes -- r']);
  });

  it('file applies to the whole file, only from the first ten lines', () => {
    const head = (n: number): string => Array.from({ length: n }, (_, i) => `x${i} = ${i}`).join('\n') + '\n';
    assert.deepEqual(directives('# readiness-ignore-file k8s/probes -- generated\n', ['python']), ['file 0 k8s/probes -- generated']);
    assert.deepEqual(directives(head(9) + '# readiness-ignore-file k8s/probes -- line ten\n', ['python']), ['file 0 k8s/probes -- line ten']);
    assert.deepEqual(directives(head(10) + '# readiness-ignore-file k8s/probes -- line eleven\n', ['python']), []);
  });

  it('spans the whole comment, and counts lines across CRLF and CR endings', () => {
    const text = 'a: 1\r\nb: 2 # readiness-ignore-line k8s/probes -- r\r\n# readiness-ignore-next-line k8s/replicas -- r\rc: 3\r';
    const found = findDirectives(text, ['yaml']);
    assert.deepEqual(
      found.map((d) => [d.kind, d.targetLine, text.slice(d.span.start, d.span.end)]),
      [
        ['line', 2, '# readiness-ignore-line k8s/probes -- r'],
        ['next-line', 4, '# readiness-ignore-next-line k8s/replicas -- r'],
      ],
    );
  });
});

describe('suppress: comments per syntax, never inside strings', () => {
  it('YAML: the yaml lexer decides (quoted scalars, block scalars, a#b, flow collections)', () => {
    const text = lines(
      'a: "# readiness-ignore-line x/a -- double quoted"',
      "b: 'it''s # readiness-ignore-line x/b'",
      'c: |',
      '  # readiness-ignore-line x/c -- block scalar text',
      'd: e#readiness-ignore-line x/d',
      'f: [1, # readiness-ignore-line x/f -- in a flow sequence',
      '  2]',
      'g: h # readiness-ignore-line x/g -- real',
      '--- # readiness-ignore-file x/h -- after a document marker',
    );
    assert.deepEqual(directives(text, ['yaml', 'k8s']), ['line 6 x/f -- in a flow sequence', 'line 8 x/g -- real', 'file 0 x/h -- after a document marker']);
    assert.deepEqual(directives(text, ['readiness-config']), directives(text, ['compose']));
  });

  it('TS/JS: strings, template literals, regular expressions and JSX text are not comments', () => {
    const text = lines(
      'const a = "// readiness-ignore-line x/a";',
      "const b = 'http://example.com'; // readiness-ignore-line x/b -- after a URL string",
      'const c = `${a} // readiness-ignore-line x/c ${b}`;',
      'const d = /\\/\\/ readiness-ignore-line x\\/d/.test(a);',
      'const e = a / 2 / 3; // readiness-ignore-line x/e -- after divisions',
      'const f = `${a /* readiness-ignore-line x/f -- in a template expression */}`;',
      '/* readiness-ignore-next-line x/g -- block */',
      'call();',
    );
    assert.deepEqual(directives(text, ['ts'], 'src/a.ts'), [
      'line 2 x/b -- after a URL string',
      'line 5 x/e -- after divisions',
      'line 6 x/f -- in a template expression',
      'next-line 8 x/g -- block',
    ]);
    assert.deepEqual(directives(text, ['js'], 'src/a.mjs'), directives(text, ['ts'], 'src/a.ts'));
    const jsx = lines('const v = <p>see // readiness-ignore-line x/a -- text</p>; // readiness-ignore-line x/b -- code', 'const w = <div>{/* readiness-ignore-line x/c -- jsx comment */}</div>;');
    assert.deepEqual(directives(jsx, ['ts'], 'src/v.tsx'), ['line 1 x/b -- code', 'line 2 x/c -- jsx comment']);
    assert.deepEqual(directives(jsx, ['js'], 'src/v.jsx'), ['line 1 x/b -- code', 'line 2 x/c -- jsx comment']);
  });

  it('TS: a shebang and a comment-only file', () => {
    assert.deepEqual(comments('#!/usr/bin/env node\n// one\n/* two */\n', 'javascript'), ['// one', '/* two */']);
    assert.deepEqual(comments('// only\n', 'typescript'), ['// only']);
  });

  it('Python: quotes, triple quotes, prefixes and f-strings', () => {
    const text = lines(
      'a = "# readiness-ignore-line x/a"',
      "b = '# readiness-ignore-line x/b'",
      'c = """',
      '# readiness-ignore-line x/c',
      '"""',
      "d = r'\\' # readiness-ignore-line x/d'",
      "e = f\"{x['#']} # readiness-ignore-line x/e\"",
      'g = f"{x:#>10} {y!r}"  # readiness-ignore-line x/g -- after a format spec',
      'h = f"{d["k"]}"  # readiness-ignore-line x/h -- nested quotes (3.12)',
      "i = Rb'#' + u'#'  # readiness-ignore-line x/i -- after prefixed strings",
      'j = 1  # readiness-ignore-line x/j -- plain',
    );
    assert.deepEqual(directives(text, ['python']), ['line 8 x/g -- after a format spec', 'line 9 x/h -- nested quotes (3.12)', 'line 10 x/i -- after prefixed strings', 'line 11 x/j -- plain']);
  });

  it('Dockerfile: # starts a comment only at the start of a line, also inside continuations; heredocs are content', () => {
    const text = lines(
      'FROM python:3.12',
      'RUN echo hi # readiness-ignore-line x/a -- an argument, not a comment',
      'RUN apt-get update && \\',
      '    # readiness-ignore-next-line x/b -- inside a continuation',
      '    apt-get install -y curl',
      'RUN <<EOF',
      '# readiness-ignore-next-line x/c -- heredoc content',
      'echo hi',
      'EOF',
      '  # readiness-ignore-next-line x/d -- indented comment',
      'ENV SHIFT=1<<EOF',
      '# readiness-ignore-next-line x/e -- ENV opens no heredoc',
      'USER app',
    );
    assert.deepEqual(directives(text, ['dockerfile']), ['next-line 5 x/b -- inside a continuation', 'next-line 11 x/d -- indented comment', 'next-line 13 x/e -- ENV opens no heredoc']);
    const escaped = lines('# escape=`', 'FROM windows', 'RUN echo a `', '  <<EOF', '# readiness-ignore-next-line x/f -- heredoc content', 'EOF', '# readiness-ignore-next-line x/g -- after the heredoc', 'USER app');
    assert.deepEqual(directives(escaped, ['dockerfile']), ['next-line 8 x/g -- after the heredoc']);
  });

  it('dotenv: # at the start of a line or after whitespace, outside quotes', () => {
    const text = lines(
      'A="x # readiness-ignore-line x/a"',
      'B=y#readiness-ignore-line x/b',
      "C='multi",
      '# readiness-ignore-line x/c',
      "'",
      'D=it\'s # readiness-ignore-line x/d -- a quote inside a value is literal',
      '# readiness-ignore-next-line x/e -- line start',
      'E="v" # readiness-ignore-line x/f -- after a quoted value',
    );
    assert.deepEqual(directives(text, ['dotenv']), ['line 6 x/d -- a quote inside a value is literal', 'next-line 8 x/e -- line start', 'line 8 x/f -- after a quoted value']);
  });

  it('Terraform: #, // and /* */; strings with templates and heredocs are not comments', () => {
    const text = lines(
      'a = "http://x # readiness-ignore-line x/a"',
      'b = "${var.x} // readiness-ignore-line x/b"',
      'c = "${join(",", ["#"])}" # readiness-ignore-line x/c -- hash',
      'd = 1 // readiness-ignore-line x/d -- slashes',
      '/* readiness-ignore-next-line x/e -- block */',
      'e = <<-EOT',
      '  # readiness-ignore-line x/f',
      '  EOT',
      'f = 2',
    );
    assert.deepEqual(directives(text, ['terraform'], 'main.tf'), ['line 3 x/c -- hash', 'line 4 x/d -- slashes', 'next-line 6 x/e -- block']);
    assert.deepEqual(directives('{"a": "# readiness-ignore-line x/a -- json"}', ['terraform'], 'terraform.tfstate'), []);
  });

  it('Markdown: HTML comments outside code', () => {
    const text = lines(
      '<!-- readiness-ignore-file docs/readme -- generated -->',
      '```yaml',
      '# readiness-ignore-next-line k8s/probes -- an example <!-- readiness-ignore-line x/a -->',
      '```',
      'Use `<!-- readiness-ignore-line x/b -->` like this. <!-- readiness-ignore-line x/c -- after code -->',
    );
    assert.deepEqual(directives(text, ['markdown']), ['file 0 docs/readme -- generated', 'line 5 x/c -- after code']);
  });

  it('Jenkinsfile (Groovy): // and /* */ outside strings, GStrings and slashy strings', () => {
    const text = lines(
      "sh 'curl http://x' // readiness-ignore-line x/a -- after a string",
      'def s = "${env.X} // readiness-ignore-line x/b"',
      'def r = ~/\\/\\/ readiness-ignore-line x\\/c/',
      '/* readiness-ignore-next-line x/d -- block */',
      "stage('build') {}",
    );
    assert.deepEqual(directives(text, ['ci'], 'Jenkinsfile'), ['line 1 x/a -- after a string', 'next-line 5 x/d -- block']);
  });

  it('manifests: TOML strings, requirements comments after whitespace, package.json none', () => {
    assert.deepEqual(directives('a = "# readiness-ignore-line x/a"\nb = 1 # readiness-ignore-line x/b -- toml\n', ['package-manifest'], 'pyproject.toml'), ['line 2 x/b -- toml']);
    assert.deepEqual(directives('flask==3.0#readiness-ignore-line x/a\nrequests  # readiness-ignore-line x/b -- pip\n', ['package-manifest'], 'requirements.txt'), ['line 2 x/b -- pip']);
    assert.deepEqual(directives('{"x": "# readiness-ignore-line x/a"}', ['json', 'package-manifest'], 'package.json'), []);
    assert.deepEqual(directives('# readiness-ignore-next-line x/a -- ignore file\n.env\n', ['gitignore'], '.gitignore'), ['next-line 2 x/a -- ignore file']);
  });

  it('chooses the syntax from the kinds and the name, and says how to write a directive in it', () => {
    assert.equal(commentSyntax(['yaml', 'ci'], '.github/workflows/ci.yml'), 'yaml');
    assert.equal(commentSyntax(['ci'], 'Jenkinsfile'), 'groovy');
    assert.equal(commentSyntax(['python', 'package-manifest'], 'setup.py'), 'python');
    assert.equal(commentSyntax(['text'], 'notes.txt'), 'none');
    assert.deepEqual(commentStyle('dockerfile'), { open: '# ', close: '', trailing: false });
    assert.deepEqual(commentStyle('typescript'), { open: '// ', close: '', trailing: true });
    assert.deepEqual(commentStyle('markdown'), { open: '<!-- ', close: ' -->', trailing: true });
    assert.equal(commentStyle('none'), undefined);
  });
});

/**
 * A test-only rule: a finding at the start of every line that contains `token`. (It reads
 * the file itself, so that edits that move lines keep its findings on the same code.)
 */
function markRule(id: string, token: string): Rule {
  return defineRule({
    meta: {
      id,
      category: 'delivery',
      weight: 2,
      severity: 'warning',
      scope: 'location',
      title: `Test rule ${id}`,
      summary: 'reports lines that hold a token',
      appliesTo: ['python', 'yaml', 'ts'],
      subjects: { singular: 'line', plural: 'lines', passing: 'are fine' },
      messages: { marked: 'Line {line} is marked' },
    },
    check(ctx) {
      for (const file of ctx.files) {
        const text = fs.readFileSync(file.absPath, 'utf8');
        file.facts.lineStarts.forEach((start, i) => {
          const end = file.facts.lineStarts[i + 1] ?? text.length;
          if (!text.slice(start, end).includes(token)) return;
          const content = text.slice(start, end).trim();
          ctx.report({ subject: { key: `${file.path}#${content}`, file: file.path }, messageId: 'marked', data: { line: i + 1 }, file: file.path, span: { start, end: start + 1 } });
        });
      }
    },
  });
}

describe('suppress: through the engine', () => {
  const files: Record<string, string> = {
    'app.py': lines(
      'import os',
      '# readiness-ignore-next-line test/marked -- fixture: a known finding',
      'x = "MARK # not a comment"',
      'y = "MARK"  # readiness-ignore-line test/marked',
      'z = "MARK"',
      '# readiness-ignore-next-line test/marked -- nothing on the next line',
      'w = 1',
      's = "MARK # readiness-ignore-line test/marked -- inside a string"',
    ),
    'config/app.yaml': lines(
      '# readiness-ignore-next-line test/marked -- first of a stack',
      '# readiness-ignore-next-line test/other -- second of a stack',
      '',
      'key: MARK OTHER',
      'other: MARK # readiness-ignore-line test/marked, test/other -- both named',
    ),
    'src/gen.ts': lines('// readiness-ignore-file test/other -- generated code', "export const a = 'OTHER';", "export const b = 'OTHER';"),
  };
  const marked = markRule('test/marked', 'MARK');
  const other = markRule('test/other', 'OTHER');
  const rules = [marked, other, metaSuppressionReason, metaUnusedSuppression];

  async function scanTree(tree: Record<string, string>): Promise<ScanOutcome> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-suppress-'));
    for (const [rel, text] of Object.entries(tree)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    return scan({ roots: [root], rules, strictConfig: true });
  }

  it('moves suppressed findings to suppressed, with the reason and via comment', async () => {
    const outcome = await scanTree(files);
    assert.deepEqual(
      outcome.suppressed.map((s) => `${s.file}:${s.range.start.line} ${s.ruleId} via ${s.via}${s.reason !== undefined ? ` -- ${s.reason}` : ''}`),
      [
        'app.py:3 test/marked via comment -- fixture: a known finding',
        'app.py:4 test/marked via comment',
        'config/app.yaml:4 test/marked via comment -- first of a stack',
        'config/app.yaml:4 test/other via comment -- second of a stack',
        'config/app.yaml:5 test/marked via comment -- both named',
        'src/gen.ts:2 test/other via comment -- generated code',
        'src/gen.ts:3 test/other via comment -- generated code',
      ],
    );
  });

  it('reports unused directives (naming the idle rule ids) and reasonless ones; keeps the rest', async () => {
    const outcome = await scanTree(files);
    assert.deepEqual(
      outcome.findings.map((f) => `${f.file}:${f.range.start.line}:${f.range.start.column} ${f.ruleId} ${f.severity} ${f.message}`),
      [
        'app.py:4:13 meta/suppression-reason info Suppression of test/marked gives no reason after --',
        'app.py:5:1 test/marked warning Line 5 is marked',
        'app.py:6:1 meta/unused-suppression info Suppression of test/marked suppresses nothing',
        'app.py:8:1 test/marked warning Line 8 is marked',
        'config/app.yaml:5:13 meta/unused-suppression info Suppression of test/other suppresses nothing',
      ],
    );
    const reasonless = outcome.findings.find((f) => f.ruleId === 'meta/suppression-reason')!;
    assert.deepEqual([reasonless.range.end.line, reasonless.range.end.column], [4, 48], 'the finding spans the whole comment');
  });

  it('counts suppressed subjects as passing; the meta rules never move the score', async () => {
    const outcome = await scanTree(files);
    const check = (id: string): [string, number, number, number | null] => {
      const c = outcome.checks.find((x) => x.id === id)!;
      return [c.status, c.subjects, c.failing, c.score];
    };
    assert.deepEqual(check('test/marked'), ['partial', 6, 2, 4 / 6]);
    assert.deepEqual(check('test/other'), ['pass', 3, 0, 1]);
    assert.deepEqual(check('meta/suppression-reason'), ['partial', 7, 1, 6 / 7]);
    assert.deepEqual(check('meta/unused-suppression'), ['partial', 7, 2, 5 / 7]);
    // delivery = (2 × 4/6 + 2 × 1) / 4; the weight-0 meta checks add nothing.
    assert.equal(outcome.categories.delivery.score, Math.round((100 * (2 * (4 / 6) + 2)) / 4));
    assert.equal(outcome.overall, outcome.categories.delivery.score);
  });

  it('gives directive findings fingerprints that survive unrelated edits', async () => {
    const before = await scanTree(files);
    const after = await scanTree({ ...files, 'app.py': '"""Module docstring."""\n\n' + files['app.py'] });
    const prints = (o: ScanOutcome): string[] => o.findings.filter((f) => f.ruleId.startsWith('meta/')).map((f) => f.fingerprint);
    assert.deepEqual(prints(after), prints(before));
    assert.notDeepEqual(
      after.findings.filter((f) => f.ruleId.startsWith('meta/')).map((f) => f.range.start.line),
      before.findings.filter((f) => f.ruleId.startsWith('meta/')).map((f) => f.range.start.line),
    );
  });

  it('reports nothing when every directive has a reason and suppresses something', async () => {
    const outcome = await scanTree({ 'app.py': lines('# readiness-ignore-next-line test/marked -- known', 'x = "MARK"') });
    assert.deepEqual(outcome.findings, []);
    assert.equal(outcome.suppressed.length, 1);
  });
});

describe('suppress: the meta rules on their fixtures', () => {
  const FIXTURES = path.join(__dirname, 'rules', 'meta');
  for (const rule of [metaSuppressionReason, metaUnusedSuppression]) {
    const dir = path.join(FIXTURES, rule.meta.id.slice('meta/'.length));
    it(`${rule.meta.id}: nothing on valid.py, exactly the marked findings on invalid.py`, async () => {
      const valid = await runFixture(path.join(dir, 'valid.py'), [rule]);
      compare(findingsOf(valid.outcome, [rule.meta.id]), []);
      const invalid = await runFixture(path.join(dir, 'invalid.py'), [rule]);
      assert.ok(invalid.expected.length > 0);
      compare(findingsOf(invalid.outcome, [rule.meta.id]), invalid.expected);
    });
  }
});
