// Which files the secrets rules treat specially, by path: test fixtures, `.env` templates,
// Terraform state. Paths are relative to the scan root, with `/`.

const TEST_DIRS: ReadonlySet<string> = new Set(['test', 'tests', '__tests__', 'spec', 'specs', 'fixture', 'fixtures', '__fixtures__', 'testdata', 'test-data', '__mocks__', 'e2e']);

/**
 * True for test code and fixtures: a file under a `test/`, `tests/`, `__tests__/`, `spec/`,
 * `fixtures/`, `testdata/` or `__mocks__/` directory, or named like a test
 * (`*.test.*`, `*.spec.*`, `test_*.py`, `*_test.py`, `*_test.go`, `conftest.py`).
 */
export function isTestPath(path: string): boolean {
  const parts = path.split('/');
  const name = parts[parts.length - 1]!.toLowerCase();
  if (parts.slice(0, -1).some((d) => TEST_DIRS.has(d.toLowerCase()))) return true;
  if (/\.(?:test|spec)\.[a-z0-9]+$/.test(name)) return true;
  if (/^test_[\w-]*\.py$/.test(name) || /_test\.(?:py|go)$/.test(name) || name === 'conftest.py') return true;
  return false;
}

/** Name parts that make a `.env`-style file a template meant to be committed (`.env.example`). */
const TEMPLATE_PARTS: ReadonlySet<string> = new Set(['example', 'examples', 'sample', 'samples', 'template', 'tmpl', 'tpl', 'dist', 'default', 'defaults', 'schema', 'skeleton', 'stub']);

/** True for `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `example.env` and the like. */
export function isEnvTemplate(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return name.split('.').some((p) => TEMPLATE_PARTS.has(p));
}

/** Terraform state (`terraform.tfstate`, `prod.tfstate`, `*.tfstate.backup`). */
export function isTerraformState(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return name.endsWith('.tfstate') || name.endsWith('.tfstate.backup');
}
