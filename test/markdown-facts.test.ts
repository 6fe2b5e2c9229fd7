// Markdown facts: headings and code blocks as a CommonMark renderer sees them, with exact
// spans; reStructuredText/plain-text READMEs by a line scan; only documentation files are read.
import * as assert from 'node:assert/strict';
import { extractFacts } from '../server/src/engine/extract';
import { wantsMarkdownFacts } from '../server/src/engine/parse/markdown';
import { openApiFromJson } from '../server/src/engine/parse/openapi';
import { isRunBlock, runHeadings } from '../rules/lib/docs';

function at(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}

describe('Markdown facts', () => {
  it('reads only the documents the documentation rules need', () => {
    for (const p of ['README.md', 'services/api/README.md', 'SECURITY.md', '.github/SECURITY.md', 'docs/ops/rollback.md', 'RUNBOOK.md', 'DEPLOYMENT.md', 'README.rst', 'README', 'runbooks/db.md', 'docs/guide.markdown']) {
      assert.ok(wantsMarkdownFacts(p), p);
    }
    for (const p of ['CHANGELOG.md', 'src/notes.md', 'readme.js', 'node_modules/x/README.md.js']) assert.ok(!wantsMarkdownFacts(p), p);
    assert.equal(extractFacts('CHANGELOG.md', '# Changes\n').markdown, undefined);
  });

  it('headings (ATX and setext) and code blocks (fenced and indented) with exact spans', () => {
    const text = [
      '# Orders', //
      '',
      'Keeps orders.',
      '',
      'Getting started',
      '---------------',
      '',
      '```bash',
      'npm ci',
      'npm start',
      '```',
      '',
      '    docker compose up',
      '',
      '```',
      '# not a heading',
      '```',
      '',
      '## Deploy  ',
      '- step one',
      '- step two',
      '',
    ].join('\r\n');
    const md = extractFacts('README.md', text).markdown!;
    assert.deepEqual(
      md.headings.map((h) => [h.depth, h.text, at(text, h.span)]),
      [
        [1, 'Orders', '# Orders'],
        [2, 'Getting started', 'Getting started'],
        [2, 'Deploy', '## Deploy  '],
      ],
    );
    assert.deepEqual(
      md.code.map((c) => [c.lang, c.firstLine, at(text, c.span)]),
      [
        ['bash', 'npm ci', '```bash\r\nnpm ci\r\nnpm start\r\n```'],
        ['', 'docker compose up', '    docker compose up'],
        ['', '# not a heading', '```\r\n# not a heading\r\n```'],
      ],
    );
    assert.equal(md.paragraphs, 3, 'one paragraph and two list items');
    assert.deepEqual(runHeadings(md.headings).map((h) => h.text), ['Getting started', 'Deploy']);
    assert.deepEqual(md.code.filter(isRunBlock).map((c) => c.firstLine), ['npm ci', 'docker compose up']);
  });

  it('reStructuredText and plain text READMEs', () => {
    const rst = ['Orders', '======', '', 'Installation', '------------', '', '.. code-block:: bash', '', '   pip install orders', '', 'Text.', ''].join('\n');
    const md = extractFacts('README.rst', rst).markdown!;
    assert.deepEqual(md.headings.map((h) => at(rst, h.span)), ['Orders', 'Installation']);
    assert.deepEqual(md.code.map((c) => [c.lang, c.firstLine]), [['bash', 'pip install orders']]);
    const txt = 'Orders\n\nRun it with:\n\n  $ make run\n';
    assert.deepEqual(extractFacts('README.txt', txt).markdown!.code.map((c) => [c.firstLine, at(txt, c.span)]), [['make run', '  $ make run']]);
  });

  it('odd input never throws', () => {
    for (const text of ['', '\u0000\u0001', '#'.repeat(10_000), '>'.repeat(5_000) + ' x', '```'.repeat(3_000), '* '.repeat(4_000) + 'x', '[' .repeat(10_000)]) {
      const f = extractFacts('README.md', text);
      assert.ok(f.markdown || f.errors.length > 0);
    }
  });
});

describe('OpenAPI facts', () => {
  it('YAML documents with a top-level openapi or swagger key', () => {
    const text = '# API\nopenapi: 3.1.0\ninfo:\n  title: Orders\n  version: "1"\npaths: {}\n';
    const f = extractFacts('api/spec.yaml', text);
    assert.deepEqual({ ...f.openapi!, span: at(text, f.openapi!.span) }, { key: 'openapi', version: '3.1.0', title: 'Orders', span: 'openapi' });
    assert.equal(extractFacts('x.yaml', 'info:\n  openapi: 3\n').openapi, undefined, 'nested keys do not count');
    assert.equal(extractFacts('swagger.yml', 'swagger: "2.0"\n').openapi?.version, '2.0');
  });

  it('JSON documents; broken JSON that looks like one is an error entry', () => {
    const text = '{\n  "openapi": "3.0.0",\n  "info": {"title": "T", "version": "1"}\n}\n';
    const r = openApiFromJson(text);
    assert.equal(r.facts?.version, '3.0.0');
    assert.equal(at(text, r.facts!.span), '"openapi"');
    assert.deepEqual(openApiFromJson('{"name": "x"}'), { errors: [] });
    const broken = extractFacts('openapi.json', '{ "openapi": "3.0.0", ');
    assert.equal(broken.openapi, undefined);
    assert.ok(broken.errors[0]?.message.startsWith('OpenAPI JSON:'));
  });
});
