// Workspace discovery: .gitignore semantics, default excludes, config globs, Helm
// templates, size limits and symlinks. Each test builds its tree in a temp directory.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discover, rebaseGitignore, type DiscoverOptions } from '../server/src/engine/discover';

let tmp: string;

function write(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(tmp, 'ws-'));
  write(root, files);
  return root;
}

async function paths(root: string, opts: DiscoverOptions = {}): Promise<string[]> {
  return (await discover(root, opts)).files.map((f) => f.path);
}

async function skippedOf(root: string, opts: DiscoverOptions = {}): Promise<Record<string, string>> {
  return Object.fromEntries((await discover(root, opts)).skipped.map((s) => [s.file, s.reason]));
}

describe('discover', () => {
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-discover-'));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('drops default-excluded directories at any depth, and directories holding pyvenv.cfg', async () => {
    const names = ['node_modules', '.git', 'venv', '.venv', 'dist', 'build', 'out', 'coverage', '__pycache__', '.next', 'third_party', 'vendor'];
    const files: Record<string, string> = { 'app.ts': '', 'svc/main.py': '', 'env1/pyvenv.cfg': 'home = /usr/bin', 'env1/lib/site.py': '', 'svc/.env-x/pyvenv.cfg': '', 'svc/.env-x/x.py': '' };
    for (const n of names) {
      files[`${n}/a.yaml`] = 'a: 1';
      files[`svc/${n}/b.yaml`] = 'b: 1';
    }
    files['build.yaml'] = 'kept: a file named like an excluded directory';
    files['lib/out'] = 'kept: a file, not a directory';
    const root = workspace(files);
    const result = await discover(root);
    assert.deepEqual(
      result.files.map((f) => f.path),
      ['app.ts', 'build.yaml', 'lib/out', 'svc/main.py'],
    );
    assert.deepEqual(result.skipped, [], 'default excludes are quiet');
  });

  it('honours nested .gitignore files: anchoring, negation, directory-only patterns, precedence', async () => {
    const root = workspace({
      '.gitignore': ['# comment', '*.log', '!keep.log', '/top-only.yaml', 'secrets/', 'docs/*.tmp', 'cache/', 'gen*', ''].join('\n'),
      'a.log': '',
      'keep.log': '',
      'top-only.yaml': '',
      'x.bak': '',
      'secrets/s.yaml': '',
      'docs/a.tmp': '',
      'docs/deep/a.tmp': '',
      'cache': 'a file named cache is not a directory',
      'data/cache/c.yaml': '',
      'sub/.gitignore': ['!important.log', '/local.yaml', 'out-gen/', '*.bak'].join('\r\n'),
      'sub/top-only.yaml': '',
      'sub/important.log': '',
      'sub/other.log': '',
      'sub/local.yaml': '',
      'sub/deeper/local.yaml': '',
      'sub/deeper/important.log': '',
      'sub/x.bak': '',
      'other/out-gen/x.yaml': '',
      'other/x.bak': '',
      'sub2/.gitignore': '!gen-config/\n',
      'sub2/gen-config/app.yaml': '',
      'sub2/gen-config/gen.yaml': '',
      'sub2/generated/x.yaml': '',
      'we!rd #dir [x]/.gitignore': 'foo\n',
      'we!rd #dir [x]/foo': '',
      'we!rd #dir [x]/bar': '',
    });
    assert.deepEqual(await paths(root), [
      '.gitignore',
      'cache',
      'docs/deep/a.tmp',
      'keep.log',
      'other/out-gen/x.yaml',
      'other/x.bak',
      'sub/.gitignore',
      'sub/deeper/important.log',
      'sub/deeper/local.yaml',
      'sub/important.log',
      'sub/top-only.yaml',
      'sub2/.gitignore',
      'sub2/gen-config/app.yaml',
      'we!rd #dir [x]/.gitignore',
      'we!rd #dir [x]/bar',
      'x.bak',
    ]);
  });

  it('cannot re-include a file whose directory is ignored, as git', async () => {
    const root = workspace({ '.gitignore': 'logs/\n!logs/keep.yaml\n', 'logs/keep.yaml': '', 'a.yaml': '' });
    assert.deepEqual(await paths(root), ['.gitignore', 'a.yaml']);
  });

  it('applies .git/info/exclude and the .gitignore files above the scanned root up to the repository root', async () => {
    const repo = workspace({
      '.git/info/exclude': 'notes.md\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': '*.secret.yaml\n/services/api/tmp/\n/generated/\n',
      'services/.gitignore': 'local/\n',
      'services/api/app.ts': '',
      'services/api/notes.md': '',
      'services/api/db.secret.yaml': '',
      'services/api/tmp/t.yaml': '',
      'services/api/local/l.yaml': '',
      'services/api/k8s/deploy.yaml': '',
      'generated/g.yaml': '',
    });
    assert.deepEqual(await paths(repo), ['.gitignore', 'services/.gitignore', 'services/api/app.ts', 'services/api/k8s/deploy.yaml']);
    assert.deepEqual(await paths(path.join(repo, 'services', 'api')), ['app.ts', 'k8s/deploy.yaml']);
    // Scanning a directory the repository ignores: the user asked for it.
    assert.deepEqual(await paths(path.join(repo, 'generated')), ['g.yaml']);
  });

  it('reads the exclude file of a worktree-style .git file', async () => {
    const repo = workspace({ 'gitdir/info/exclude': '*.local\n', 'wt/a.local': '', 'wt/b.yaml': '' });
    fs.writeFileSync(path.join(repo, 'wt', '.git'), `gitdir: ${path.join(repo, 'gitdir')}\n`);
    assert.deepEqual(await paths(path.join(repo, 'wt')), ['b.yaml']);
  });

  it('re-includes default-excluded and git-ignored paths matched by include', async () => {
    const root = workspace({
      '.gitignore': 'rendered/\n',
      'build/k8s/deploy.yaml': '',
      'build/k8s/nested/svc.yaml': '',
      'build/other.txt': '',
      'node_modules/pkg/k8s/x.yaml': '',
      'rendered/k8s/r.yaml': '',
      'rendered/other.yaml': '',
      'vendor/charts/c/values.yaml': '',
      'vendor/lib/l.go': '',
      'app.ts': '',
    });
    assert.deepEqual(await paths(root, { include: ['build/k8s/**', './rendered/k8s/', 'vendor/charts'] }), [
      '.gitignore',
      'app.ts',
      'build/k8s/deploy.yaml',
      'build/k8s/nested/svc.yaml',
      'rendered/k8s/r.yaml',
      'vendor/charts/c/values.yaml',
    ]);
    assert.deepEqual(await paths(root, { include: ['**/k8s/*.yaml'] }), ['.gitignore', 'app.ts', 'build/k8s/deploy.yaml', 'node_modules/pkg/k8s/x.yaml', 'rendered/k8s/r.yaml']);
  });

  it('drops files matched by the config ignore globs, even when included', async () => {
    const root = workspace({
      'legacy/a.yaml': '',
      'legacy/deep/b.yaml': '',
      'k8s/app.yaml': '',
      'k8s/app.generated.yaml': '',
      'docs/x.md': '',
      'build/k8s/z.generated.yaml': '',
      'build/k8s/z.yaml': '',
    });
    assert.deepEqual(await paths(root, { ignore: ['legacy/**', '**/*.generated.yaml', 'docs/'], include: ['build/k8s/**'] }), ['build/k8s/z.yaml', 'k8s/app.yaml']);
    assert.deepEqual(await paths(root, { ignore: ['/legacy'] }), ['docs/x.md', 'k8s/app.generated.yaml', 'k8s/app.yaml']);
  });

  it('skips Helm chart templates with a reason and scans the rest of the chart', async () => {
    const root = workspace({
      'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\n',
      'charts/api/values.yaml': 'replicaCount: 1\n',
      'charts/api/templates/deployment.yaml': 'kind: Deployment\n{{ .Values.x }}\n',
      'charts/api/templates/_helpers.tpl': '',
      'charts/api/templates/tests/t.yaml': '',
      'charts/api/crds/crd.yaml': '',
      'other/templates/plain.yaml': 'a: 1\n',
    });
    const result = await discover(root);
    assert.deepEqual(
      result.files.map((f) => f.path),
      ['charts/api/Chart.yaml', 'charts/api/crds/crd.yaml', 'charts/api/values.yaml', 'other/templates/plain.yaml'],
    );
    assert.deepEqual(result.skipped, [
      { file: 'charts/api/templates/_helpers.tpl', reason: 'Helm template' },
      { file: 'charts/api/templates/deployment.yaml', reason: 'Helm template' },
      { file: 'charts/api/templates/tests/t.yaml', reason: 'Helm template' },
    ]);
  });

  it('skips files over maxFileSize with their size in the reason', async () => {
    const root = workspace({ 'big.yaml': 'x'.repeat(3000), 'edge.yaml': 'x'.repeat(2048), 'small.yaml': 'a: 1' });
    const result = await discover(root, { maxFileSize: 2048 });
    assert.deepEqual(
      result.files.map((f) => [f.path, f.size]),
      [
        ['edge.yaml', 2048],
        ['small.yaml', 4],
      ],
    );
    assert.equal(result.skipped.length, 1);
    assert.equal(result.skipped[0]!.file, 'big.yaml');
    assert.match(result.skipped[0]!.reason, /maxFileSize/);
    assert.match(result.skipped[0]!.reason, /3000 bytes/);
  });

  it('follows symlinks inside the root, never loops, and says why links are skipped', async () => {
    const outside = workspace({ 'o.yaml': '' });
    const root = workspace({ 'real/a.yaml': '', 'real/sub/b.yaml': '', 'node_modules/pkg/k8s.yaml': '', 'file.yaml': '' });
    fs.symlinkSync(path.join(root, 'real'), path.join(root, 'alias')); // duplicate of a real directory
    fs.symlinkSync('..', path.join(root, 'real', 'sub', 'up')); // loop back to real/
    fs.symlinkSync('.', path.join(root, 'self-dir')); // loop to the root
    fs.symlinkSync('node_modules/pkg', path.join(root, 'pkg-link')); // a link into an excluded directory is followed
    fs.symlinkSync('file.yaml', path.join(root, 'file-link.yaml'));
    fs.symlinkSync('missing.yaml', path.join(root, 'broken.yaml'));
    fs.symlinkSync('self.yaml', path.join(root, 'self.yaml'));
    fs.symlinkSync(outside, path.join(root, 'outside-dir'));
    fs.symlinkSync(path.join(outside, 'o.yaml'), path.join(root, 'outside.yaml'));
    const result = await discover(root);
    assert.deepEqual(
      result.files.map((f) => f.path),
      ['file-link.yaml', 'file.yaml', 'pkg-link/k8s.yaml', 'real/a.yaml', 'real/sub/b.yaml'],
    );
    const skipped = Object.fromEntries(result.skipped.map((s) => [s.file, s.reason]));
    assert.deepEqual(Object.keys(skipped), ['alias', 'broken.yaml', 'outside-dir', 'outside.yaml', 'real/sub/up', 'self-dir', 'self.yaml']);
    assert.match(skipped['alias']!, /already scanned as real/);
    assert.match(skipped['real/sub/up']!, /symlink loop/);
    assert.match(skipped['self-dir']!, /symlink loop/);
    assert.match(skipped['self.yaml']!, /symlink loop/);
    assert.match(skipped['broken.yaml']!, /broken symlink/);
    assert.match(skipped['outside-dir']!, /outside the root/);
    assert.match(skipped['outside.yaml']!, /outside the root/);
  });

  it('scans a directory reached only through a symlink under the first link path', async () => {
    const root = workspace({ '.gitignore': 'hidden/\n', 'hidden/h.yaml': '' });
    fs.symlinkSync('hidden', path.join(root, 'b-link'));
    fs.symlinkSync('hidden', path.join(root, 'a-link'));
    fs.symlinkSync(path.join(root, 'a-link'), path.join(root, 'c-link'));
    const result = await discover(root);
    assert.deepEqual(
      result.files.map((f) => f.path),
      ['.gitignore', 'a-link/h.yaml'],
    );
    assert.match(result.skipped.find((s) => s.file === 'b-link')!.reason, /already scanned as a-link/);
    assert.match(result.skipped.find((s) => s.file === 'c-link')!.reason, /already scanned as a-link/);
  });

  it('skips an unreadable directory with a reason and finishes', async () => {
    const root = workspace({ 'locked/a.yaml': '', 'open/b.yaml': '' });
    const locked = path.join(root, 'locked');
    const original = fs.promises.readdir;
    const patched = (async (p: fs.PathLike, options?: unknown) => {
      if (String(p) === locked) throw Object.assign(new Error(`EACCES: permission denied, scandir '${locked}'`), { code: 'EACCES' });
      return (original as (p: fs.PathLike, o?: unknown) => Promise<unknown>)(p, options);
    }) as typeof fs.promises.readdir;
    fs.promises.readdir = patched;
    try {
      const result = await discover(root);
      assert.deepEqual(
        result.files.map((f) => f.path),
        ['open/b.yaml'],
      );
      assert.deepEqual(result.skipped, [{ file: 'locked', reason: 'unreadable directory: EACCES' }]);
    } finally {
      fs.promises.readdir = original;
    }
    if (process.getuid?.() !== 0) {
      // Without root privileges a real permission error gives the same answer.
      fs.chmodSync(locked, 0o000);
      try {
        assert.deepEqual(await skippedOf(root), { locked: 'unreadable directory: EACCES' });
      } finally {
        fs.chmodSync(locked, 0o755);
      }
    }
  });

  it('reports special files instead of reading them', async () => {
    const root = workspace({ 'a.yaml': '' });
    const fifo = path.join(root, 'pipe.yaml');
    const made = (await import('node:child_process')).spawnSync('mkfifo', [fifo]).status === 0;
    assert.ok(made, 'mkfifo is available');
    assert.deepEqual(await paths(root), ['a.yaml']);
    assert.deepEqual(await skippedOf(root), { 'pipe.yaml': 'not a regular file' });
  });

  it('is deterministic and sorted on a larger tree', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) for (let j = 0; j < 25; j++) files[`d${(i * 7) % 40}/s${j}/f${(j * 3) % 25}.yaml`] = `n: ${i}`;
    const root = workspace(files);
    const a = await discover(root);
    const b = await discover(root);
    assert.equal(a.files.length, 1000);
    assert.deepEqual(a, b);
    const sorted = [...a.files.map((f) => f.path)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    assert.deepEqual(
      a.files.map((f) => f.path),
      sorted,
    );
  });

  it('rebases gitignore patterns onto their directory', () => {
    assert.deepEqual(rebaseGitignore('*.log\n/a.yaml\nb/c\n!keep/\n# c\n\n  \nd/', 'sub/x'), ['sub/x/**/*.log', 'sub/x/a.yaml', 'sub/x/b/c', '!sub/x/**/keep/', 'sub/x/**/d/']);
    assert.deepEqual(rebaseGitignore('\ufeff*.log\r\n/a', ''), ['*.log', '/a']);
  });
});
