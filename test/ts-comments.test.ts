// The TS/JS comment finder walks the tree once and scans only the gaps between nodes. Its
// oracle here is the slow, obviously complete way: every token of the tree from the
// compiler's own `getChildren`, and the comment ranges before each. Both must list the
// same comments for every TS/JS fixture, for tricky snippets, and for mutated fixtures.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ts } from 'ts-morph';
import type { SourceFile as TsSourceFile } from 'typescript';
import { typescriptComments } from '../server/src/engine/comments/typescript';
import { parseTs } from '../server/src/engine/parse/ts-source';
import { arbMutatedFixture, fixtureCorpus } from './fuzz-inputs';

function kindOf(path: string): ts.ScriptKind {
  if (path.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (path.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return /\.[cm]?js$/.test(path) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

function oracle(text: string, path: string): string[] {
  const sf = ts.createSourceFile(path, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, kindOf(path));
  const found = new Map<number, string>();
  const add = (pos: number, end: number, kind: ts.CommentKind): void => {
    if (!found.has(pos)) found.set(pos, `${pos}-${end}:${kind === ts.SyntaxKind.MultiLineCommentTrivia ? 'block' : 'line'}`);
  };
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.JsxText) return;
    const children = node.getChildren(sf);
    if (children.length === 0) {
      ts.forEachTrailingCommentRange(text, node.pos, add);
      ts.forEachLeadingCommentRange(text, node.pos, add);
      return;
    }
    for (const child of children) visit(child);
  };
  visit(sf);
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

function actual(text: string, path: string, shared: boolean): string[] {
  const js = /\.[cm]?jsx?$/.test(path);
  return typescriptComments(text, path, js, shared ? (parseTs(path, text) as unknown as TsSourceFile) : undefined).map(
    (c) => `${c.start}-${c.end}:${c.bodyEnd === c.end && text.startsWith('//', c.start) ? 'line' : 'block'}`,
  );
}

const isCode = (p: string): boolean => /\.(tsx?|jsx?|mjs|cjs|mts|cts)$/.test(p);

describe('TS/JS comments: the gap scan lists what the full token walk lists', function () {
  this.timeout(120_000);

  const snippets: [string, string][] = [
    ['a.ts', 'const r = /\\/\\/ not a comment/g; // a comment\nconst d = a / b / c; /* block */'],
    ['b.ts', 'const t = `x ${a /* in a template */} // not ${b} y`; // after'],
    ['c.tsx', 'const v = <p>http://not.a/comment {/* a JSX comment */}</p>; // tail'],
    ['d.ts', 'function f(a /* before a paren */) { /* empty block */ }\n// at the end'],
    ['e.js', '#!/usr/bin/env node\n// first\nconst s = "// not"; const q = \'/* not */\';'],
    ['f.ts', 'foo(a, /* between arguments */ b, c /* before the paren */);\nif (x) { } // same line\n/* eof */'],
    ['g.ts', '@Dec(/* arg */) class A { /* member gap */ m(): void {} }'],
    ['h.ts', 'const o = { a: 1, /* prop */ b: 2 /* last */ };\n/** a doc comment */\nexport const z = 1;'],
    ['i.js', '#!/usr/bin/env node\n// after the shebang\nfoo(/* arg */);'],
  ];

  it('tricky snippets: regular expressions, templates, JSX text, empty blocks, shebangs, EOF', () => {
    for (const [path, text] of snippets) {
      assert.deepEqual(actual(text, path, false), oracle(text, path), path);
      assert.deepEqual(actual(text, path, true), oracle(text, path), `${path} (shared tree)`);
    }
    // The snippets do exercise comments: the regex and the strings hold none.
    assert.deepEqual(oracle(snippets[0]![1], 'a.ts').length, 2);
  });

  it('every TS/JS fixture, with its own parse and with the shared tree', () => {
    const files = fixtureCorpus().filter((f) => isCode(f.path));
    assert.ok(files.length > 50, `${files.length} files`);
    let comments = 0;
    for (const f of files) {
      const expected = oracle(f.text, f.path);
      comments += expected.length;
      assert.deepEqual(actual(f.text, f.path, false), expected, f.path);
      assert.deepEqual(actual(f.text, f.path, true), expected, `${f.path} (shared tree)`);
    }
    assert.ok(comments > 40, `${comments} comments`);
  });

  it('mutated fixtures (broken syntax included)', () => {
    fc.assert(
      fc.property(arbMutatedFixture, (f) => {
        if (!isCode(f.path)) return;
        assert.deepEqual(actual(f.text, f.path, false), oracle(f.text, f.path));
      }),
      { seed: 20261122, numRuns: 400 },
    );
  });
});
