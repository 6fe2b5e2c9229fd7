// The extension package: the manifest's generated settings are current, its contributions
// point at files and commands that exist, `.vscodeignore` ships only the allowlist (checked
// with `vsce ls` and in a real .vsix), and the suppression-comment grammar highlights what
// it should. Needs `npm run build` first (npm test does it).
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { allRules } from '../rules/index';
import { DEFAULT_MAX_FILE_SIZE } from '../server/src/engine/config';
import { configurationContribution, renderManifest } from '../scripts/gen-manifest';
import { Commands, ContextKeys, VIEW_CONTAINER_ID, VIEW_ID } from '../client/src/commands';
import { DEFAULT_SETTINGS, RULE_LEVELS, type SettingKey } from '../server/src/settings';
import { tempDir } from './harness';

const ROOT = path.join(__dirname, '..');
const MANIFEST_TEXT = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');

interface CommandContribution {
  command: string;
  title: string;
  category?: string;
  icon?: string;
}
interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}
interface Manifest {
  main: string;
  icon: string;
  engines: { vscode: string };
  activationEvents: string[];
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
  contributes: {
    viewsContainers: { activitybar: { id: string; title: string; icon: string }[] };
    views: Record<string, { id: string; name: string; icon?: string }[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
    commands: CommandContribution[];
    menus: Record<string, MenuItem[]>;
    configuration: { title: string; properties: Record<string, { default?: unknown; scope?: string; properties?: Record<string, { enum?: string[] }>; maximum?: number }> };
    yamlValidation: { fileMatch: string[]; url: string }[];
    grammars: { scopeName: string; path: string; injectTo?: string[] }[];
  };
}
const manifest = JSON.parse(MANIFEST_TEXT) as Manifest;

/** What `.vscodeignore` lets through: exact files and whole folders. */
const SHIPPED_FILES = ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/worker.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-python.wasm', 'package.json', 'README.md', 'LICENSE'];
const SHIPPED_FOLDERS = ['syntaxes/', 'schemas/', 'media/'];
const REQUIRED = ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/worker.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-python.wasm', 'package.json', 'README.md', 'LICENSE', 'syntaxes/readiness-ignore.injection.tmLanguage.json', 'schemas/readiness.schema.json', 'media/readiness.svg', 'media/icon.png'];

function shippable(file: string): boolean {
  return SHIPPED_FILES.includes(file) || SHIPPED_FOLDERS.some((f) => file.startsWith(f));
}

function exists(rel: string): boolean {
  return fs.existsSync(path.join(ROOT, rel.replace(/^\.\//, '')));
}

/** Runs node with the arguments in ROOT; resolves with stdout, rejects with stderr. */
function node(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 150_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`node ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function vsce(args: string[]): Promise<string> {
  // stdout is a pipe, not a TTY: vsce then skips its update check, so it needs no network.
  return node([require.resolve('@vscode/vsce/vsce'), ...args]);
}

/** Entry names of a zip file, from its central directory (a .vsix is a zip). */
function zipEntries(file: string): string[] {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, `${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(offset), 0x02014b50, 'central directory entry');
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    names.push(buf.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

describe('package: manifest', () => {
  it('has a current settings schema (npm run gen:manifest)', () => {
    assert.ok(renderManifest(MANIFEST_TEXT) === MANIFEST_TEXT, 'package.json is stale: run `npm run gen:manifest`');
  });

  it('contributes one setting per key of the settings type, with its defaults', () => {
    const keys: Record<SettingKey, true> = { enable: true, rules: true, exclude: true, maxFileSize: true, debounce: true, 'trace.server': true };
    const props = manifest.contributes.configuration.properties;
    assert.deepEqual(Object.keys(props).sort(), Object.keys(keys).map((k) => `readiness.${k}`).sort());
    assert.equal(props['readiness.enable']!.default, true);
    assert.equal(props['readiness.enable']!.scope, 'resource');
    assert.equal(props['readiness.debounce']!.default, 150);
    assert.equal(props['readiness.debounce']!.maximum, 1000);
    assert.equal(DEFAULT_SETTINGS.maxFileSize, DEFAULT_MAX_FILE_SIZE, "the setting's default is the engine's own limit");
    assert.equal(props['readiness.maxFileSize']!.default, DEFAULT_MAX_FILE_SIZE);
  });

  it('lists every rule of the catalogue under readiness.rules with the four levels', () => {
    const rules = manifest.contributes.configuration.properties['readiness.rules']!.properties!;
    assert.deepEqual(Object.keys(rules), allRules.map((r) => r.meta.id));
    for (const [id, schema] of Object.entries(rules)) assert.deepEqual(schema.enum, [...RULE_LEVELS], id);
    // The generator follows the catalogue: a new rule is a new property.
    const fake = { ...allRules[0]!, meta: { ...allRules[0]!.meta, id: 'k8s/new-rule' } };
    const generated = configurationContribution([...allRules, fake]) as { properties: Record<string, { properties: Record<string, unknown> }> };
    assert.ok('k8s/new-rule' in generated.properties['readiness.rules']!.properties);
  });

  it('contributes exactly the commands of client/src/commands.ts, in the Readiness category', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(Commands).sort());
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'Readiness', c.command);
  });

  it('refers in menus only to contributed commands, and in when clauses only to known context keys', () => {
    const ids = new Set(manifest.contributes.commands.map((c) => c.command));
    const known = new Set<string>([...Object.values(ContextKeys), 'view', 'viewItem', 'workbenchState']);
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) {
        assert.ok(ids.has(item.command), `${menu}: ${item.command} is not contributed`);
        for (const word of (item.when ?? '').replace(/\/[^/]*\//g, '').match(/[A-Za-z][\w.]*/g) ?? []) {
          if (['false', 'true', 'file', VIEW_ID].includes(word)) continue;
          assert.ok(known.has(word), `${menu}: unknown context key ${word} in "${item.when}"`);
        }
      }
    }
    const title = manifest.contributes.menus['view/title']!;
    for (const toggle of [Commands.filterFailing, Commands.showAll, Commands.groupByFile, Commands.groupByCategory, Commands.rescan]) {
      assert.ok(title.some((i) => i.command === toggle && i.group?.startsWith('navigation') && i.when?.includes(`view == ${VIEW_ID}`)), `${toggle} is on the view's toolbar`);
    }
    for (const c of [Commands.filterFailing, Commands.showAll, Commands.groupByFile, Commands.groupByCategory]) {
      assert.match(manifest.contributes.commands.find((x) => x.command === c)!.icon ?? '', /^\$\([\w-]+\)$/, `${c} has a toolbar icon`);
    }
  });

  it('has its own activity-bar container holding the readiness view, with welcome content', () => {
    const container = manifest.contributes.viewsContainers.activitybar.find((c) => c.id === VIEW_CONTAINER_ID);
    assert.ok(container);
    assert.deepEqual(manifest.contributes.views[VIEW_CONTAINER_ID]!.map((v) => v.id), [VIEW_ID]);
    const welcome = manifest.contributes.viewsWelcome.filter((w) => w.view === VIEW_ID);
    assert.ok(welcome.some((w) => w.when === 'workbenchState == empty'), 'welcome content when no folder is open');
  });

  it('points at files that exist: main, icons, grammar, schema', () => {
    const c = manifest.contributes;
    const referenced = [
      manifest.main,
      manifest.icon,
      ...c.viewsContainers.activitybar.map((x) => x.icon),
      ...Object.values(c.views).flatMap((list) => list.map((v) => v.icon).filter((i): i is string => i !== undefined)),
      ...c.grammars.map((g) => g.path),
      ...c.yamlValidation.map((y) => y.url),
    ];
    for (const rel of referenced) {
      assert.ok(exists(rel), `${rel} does not exist${rel.includes('dist/') ? ' (run `npm run build`)' : ''}`);
      assert.ok(shippable(path.posix.normalize(rel.replace(/^\.\//, ''))), `${rel} is referenced but .vscodeignore does not ship it`);
    }
    assert.match(manifest.icon, /\.png$/, 'the marketplace refuses SVG extension icons');
    assert.deepEqual(c.yamlValidation, [{ fileMatch: ['.readiness.yaml', '.readiness.yml'], url: './schemas/readiness.schema.json' }]);
  });

  it('activates on workspace contents and languages, never on everything', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
    for (const e of ['workspaceContains:**/Dockerfile', 'workspaceContains:**/.readiness.yaml', 'workspaceContains:**/package.json', 'onLanguage:yaml', 'onLanguage:python', 'onLanguage:typescript']) {
      assert.ok(manifest.activationEvents.includes(e), e);
    }
  });

  it('builds against the API it declares: @types/vscode no newer than engines.vscode', () => {
    const engine = manifest.engines.vscode.replace(/^\^/, '').split('.').map(Number);
    const types = (JSON.parse(fs.readFileSync(require.resolve('@types/vscode/package.json'), 'utf8')) as { version: string }).version.split('.').map(Number);
    assert.ok(types[0]! < engine[0]! || (types[0] === engine[0] && types[1]! <= engine[1]!), `@types/vscode ${types.join('.')} is newer than engines.vscode ${manifest.engines.vscode}`);
    assert.match(manifest.scripts.package ?? '', /vsce package --no-dependencies/);
  });
});

describe('package: shipped files', function () {
  // vsce walks the whole work tree before applying .vscodeignore (test harnesses with their
  // own node_modules included): `vsce ls` and packing run side by side.
  this.timeout(180_000);
  let listed: string[];
  let vsixEntries: string[];

  before(async () => {
    const out = path.join(tempDir(), 'readiness.vsix');
    // `vsce package --no-dependencies` is this plus its prepublish build, which `npm test`
    // has already run; in a child process, so that its file tree stays out of the test log.
    const pack = `require('@vscode/vsce/out/package').pack({ cwd: process.cwd(), packagePath: process.argv[1], dependencies: false }).catch((e) => { console.error(e); process.exit(1); })`;
    const [ls] = await Promise.all([vsce(['ls', '--no-dependencies']), node(['-e', pack, out])]);
    listed = ls
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    vsixEntries = zipEntries(out);
  });

  it('vsce ls lists only the allowlist of .vscodeignore, and all of it', () => {
    for (const f of listed) assert.ok(shippable(f), `${f} would ship: .vscodeignore is an allowlist`);
    for (const f of REQUIRED) assert.ok(listed.includes(f), `${f} is not in the package${f.startsWith('dist/') ? ' (run `npm run build`)' : ''}`);
    assert.ok(!listed.some((f) => f.endsWith('.map') || f.includes('node_modules/')), 'no source maps, no node_modules');
  });

  it('packs a .vsix holding exactly those files', () => {
    const shipped = vsixEntries.filter((e) => e.startsWith('extension/')).map((e) => e.slice('extension/'.length));
    assert.deepEqual(vsixEntries.filter((e) => !e.startsWith('extension/')).sort(), ['[Content_Types].xml', 'extension.vsixmanifest']);
    // vsce stores README.md and LICENSE as readme.md and LICENSE.txt.
    const normalised = shipped.map((f) => (f === 'readme.md' ? 'README.md' : f === 'LICENSE.txt' ? 'LICENSE' : f));
    for (const f of normalised) assert.ok(shippable(f), `${f} is in the .vsix`);
    assert.deepEqual([...REQUIRED].sort().filter((f) => !normalised.includes(f)), [], 'missing from the .vsix');
    assert.deepEqual([...normalised].sort(), [...listed].sort(), 'the .vsix holds what vsce ls lists');
  });
});

describe('package: suppression comment grammar', () => {
  const HOST = 'source.host';
  const INJECTION = 'readiness-ignore.injection';
  // A stand-in for the languages it is injected into: their comments and strings.
  const hostGrammar = {
    scopeName: HOST,
    patterns: [
      { begin: '#', end: '$', name: 'comment.line.number-sign.host' },
      { begin: '//', end: '$', name: 'comment.line.double-slash.host' },
      { begin: '/\\*', end: '\\*/', name: 'comment.block.host' },
      { match: '"[^"]*"', name: 'string.quoted.double.host' },
    ],
  };
  let grammar: vsctm.IGrammar;

  before(async () => {
    const contribution = manifest.contributes.grammars.find((g) => g.scopeName === INJECTION);
    assert.ok(contribution, 'the injection grammar is contributed');
    const grammarPath = path.join(ROOT, contribution.path);
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
      loadGrammar: (scope: string) => {
        if (scope === HOST) return Promise.resolve(vsctm.parseRawGrammar(JSON.stringify(hostGrammar), 'host.json'));
        if (scope === INJECTION) return Promise.resolve(vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath));
        return Promise.resolve(null);
      },
      getInjections: (scope: string) => (scope === HOST ? [INJECTION] : undefined),
    });
    const loaded = await registry.loadGrammar(HOST);
    assert.ok(loaded);
    grammar = loaded;
  });

  /** The line's tokens as [text, the innermost scope that is not the host's]. */
  function tokens(line: string): [string, string][] {
    const { tokens: list } = grammar.tokenizeLine(line, vsctm.INITIAL);
    return list.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1]!]);
  }

  function scopeOf(line: string, text: string): string[] {
    const { tokens: list } = grammar.tokenizeLine(line, vsctm.INITIAL);
    const start = line.indexOf(text);
    assert.ok(start >= 0, `"${text}" is not in "${line}"`);
    const token = list.find((t) => t.startIndex === start);
    assert.ok(token, `no token starts at "${text}" in ${JSON.stringify(tokens(line))}`);
    assert.equal(line.slice(token.startIndex, token.endIndex), text, `token boundaries in ${JSON.stringify(tokens(line))}`);
    return token.scopes;
  }

  it('is injected into comments of the languages with suppression comments', () => {
    const contribution = manifest.contributes.grammars.find((g) => g.scopeName === INJECTION)!;
    assert.deepEqual(contribution.injectTo, ['source.ts', 'source.js', 'source.tsx', 'source.js.jsx', 'source.python', 'source.yaml', 'source.dockerfile', 'source.shell']);
    const raw = JSON.parse(fs.readFileSync(path.join(ROOT, contribution.path), 'utf8')) as { scopeName: string; injectionSelector: string };
    assert.equal(raw.scopeName, INJECTION);
    assert.equal(raw.injectionSelector, 'L:comment');
  });

  it('highlights the directive, the rule ids and the reason', () => {
    const line = '    # readiness-ignore-next-line k8s/image-tag, k8s/probes -- pinned by digest upstream';
    assert.ok(scopeOf(line, 'readiness-ignore-next-line').includes('keyword.control.directive.readiness'));
    assert.ok(scopeOf(line, 'k8s/image-tag').includes('entity.name.tag.rule-id.readiness'));
    assert.ok(scopeOf(line, 'k8s/probes').includes('entity.name.tag.rule-id.readiness'));
    assert.ok(scopeOf(line, ',').includes('punctuation.separator.comma.readiness'));
    assert.ok(scopeOf(line, '--').includes('punctuation.separator.reason.readiness'));
    const reason = scopeOf(line, 'pinned by digest upstream');
    assert.ok(reason.includes('comment.reason.readiness'));
    assert.ok(reason.includes('comment.line.number-sign.host'), 'still inside the host comment');
  });

  it('knows all three directives, after code and in block comments', () => {
    assert.ok(scopeOf('const key = f(); // readiness-ignore-line secrets/hardcoded -- test key', 'readiness-ignore-line').includes('keyword.control.directive.readiness'));
    const block = '/* readiness-ignore-file k8s/non-root -- legacy image */ x';
    assert.ok(scopeOf(block, 'readiness-ignore-file').includes('keyword.control.directive.readiness'));
    assert.ok(scopeOf(block, 'legacy image').includes('comment.reason.readiness'), 'the reason stops before the comment end');
    assert.ok(!scopeOf(block, '*/').includes('comment.reason.readiness'));
    assert.ok(scopeOf('# readiness-ignore-line k8s/replicas', 'k8s/replicas').includes('entity.name.tag.rule-id.readiness'), 'no reason is fine');
  });

  it('leaves look-alikes and text outside comments alone', () => {
    const none = (line: string): void => {
      assert.ok(!tokens(line).some(([, scope]) => scope.endsWith('.readiness')), `${line}: ${JSON.stringify(tokens(line))}`);
    };
    none('msg = "readiness-ignore-line k8s/image-tag -- not a comment"');
    none('# readiness-ignore-lines k8s/image-tag');
    none('# my-readiness-ignore-line k8s/image-tag');
    none('# see the readiness docs for k8s/image-tag');
  });
});
