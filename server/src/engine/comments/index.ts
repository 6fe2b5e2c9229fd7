// Which tokenizer reads a file's comments, by its artifact kinds (and name, where the
// kinds do not decide it), and which comment a quick fix should write in that file.
import type { ArtifactKind } from '../types';
import { groovyComments } from './groovy';
import { hclComments } from './hcl';
import { dockerfileComments, dotenvComments, hashAfterBlankComments, lineStartComments } from './lines';
import { markdownComments } from './markdown';
import { pythonComments } from './python';
import { tomlComments } from './toml';
import type { Comment } from './types';
import { typescriptComments } from './typescript';
import { yamlComments } from './yaml';

export type { Comment } from './types';

export type CommentSyntax =
  | 'typescript'
  | 'javascript'
  | 'python'
  | 'yaml'
  | 'dockerfile'
  | 'dotenv'
  | 'terraform'
  | 'markdown'
  | 'groovy'
  | 'toml'
  | 'requirements'
  | 'ini'
  | 'ignore-file'
  | 'none';

const YAML_KINDS: readonly ArtifactKind[] = ['yaml', 'k8s', 'compose', 'kustomization', 'helm-values', 'readiness-config'];

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The comment syntax of a file with these kinds (and, when given, this path). */
export function commentSyntax(kinds: readonly ArtifactKind[], path?: string): CommentSyntax {
  const name = path ? basename(path) : '';
  const has = (k: ArtifactKind): boolean => kinds.includes(k);
  if (has('ts')) return 'typescript';
  if (has('js')) return 'javascript';
  if (has('python')) return 'python';
  if (YAML_KINDS.some(has)) return 'yaml';
  if (has('dockerfile')) return 'dockerfile';
  if (has('dotenv')) return 'dotenv';
  if (has('terraform')) return name.endsWith('.tfstate') ? 'none' : 'terraform';
  if (has('markdown')) return 'markdown';
  if (has('ci')) return 'groovy'; // a CI file that is not YAML: a Jenkinsfile
  if (has('dockerignore') || has('gitignore')) return 'ignore-file';
  if (has('json')) return 'none';
  if (has('package-manifest')) {
    if (name === 'pyproject.toml' || name === 'Pipfile') return 'toml';
    if (name === 'setup.cfg') return 'ini';
    if (/^requirements([-_.][\w.-]*)?\.txt$/i.test(name) || name === '') return 'requirements';
  }
  return 'none';
}

/** Every comment of the text, in order, found with the syntax's tokenizer (`tsTree`: the file's TS/JS syntax tree, when the caller has one). */
export function findComments(text: string, syntax: CommentSyntax, path?: string, tsTree?: object): Comment[] {
  switch (syntax) {
    case 'typescript':
      return typescriptComments(text, path, false, tsTree);
    case 'javascript':
      return typescriptComments(text, path, true, tsTree);
    case 'python':
      return pythonComments(text);
    case 'yaml':
      return yamlComments(text);
    case 'dockerfile':
      return dockerfileComments(text);
    case 'dotenv':
      return dotenvComments(text);
    case 'terraform':
      return hclComments(text);
    case 'markdown':
      return markdownComments(text);
    case 'groovy':
      return groovyComments(text);
    case 'toml':
      return tomlComments(text);
    case 'requirements':
      return hashAfterBlankComments(text);
    case 'ini':
      return lineStartComments(text, ['#', ';']);
    case 'ignore-file':
      return lineStartComments(text, ['#']);
    case 'none':
      return [];
  }
}

/**
 * How to write a suppression comment in this syntax: `open`/`close` around the text, and
 * whether a comment may follow code on the same line (Dockerfiles and ignore files allow
 * comments only on lines of their own, so an "ignore on this line" fix writes a
 * next-line directive there instead).
 */
export function commentStyle(syntax: CommentSyntax): { open: string; close: string; trailing: boolean } | undefined {
  switch (syntax) {
    case 'typescript':
    case 'javascript':
    case 'groovy':
      return { open: '// ', close: '', trailing: true };
    case 'python':
    case 'yaml':
    case 'dotenv':
    case 'terraform':
    case 'toml':
    case 'requirements':
      return { open: '# ', close: '', trailing: true };
    case 'dockerfile':
    case 'ini':
    case 'ignore-file':
      return { open: '# ', close: '', trailing: false };
    case 'markdown':
      return { open: '<!-- ', close: ' -->', trailing: true };
    case 'none':
      return undefined;
  }
}
