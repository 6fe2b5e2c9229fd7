// Lint: type-aware promise checks everywhere, and the import boundary that keeps the
// engine and the rules free of editor and protocol code.
import tseslint from 'typescript-eslint';

const editorModules = ['vscode', 'vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageclient', 'vscode-languageclient/*', 'vscode-languageserver-protocol', 'vscode-jsonrpc', 'vscode-jsonrpc/*'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/workspace/**', 'test/**/fixtures/**', 'test/rules/**', 'examples/**', '**/*.mjs', '**/*.js', 'test-output/**', 'test/e2e/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { project: './tsconfig.json' } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['server/src/engine/**/*.ts', 'rules/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: editorModules.filter((m) => !m.includes('*')).map((name) => ({ name, message: 'The engine and the rules never import editor or protocol code.' })), patterns: [{ group: editorModules.filter((m) => m.includes('*')), message: 'The engine and the rules never import editor or protocol code.' }] }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
  },
  {
    // Data flows one way: rules build on the engine, never the reverse.
    files: ['server/src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: editorModules.filter((m) => !m.includes('*')).map((name) => ({ name, message: 'The engine never imports editor or protocol code.' })), patterns: [{ group: editorModules.filter((m) => m.includes('*')), message: 'The engine never imports editor or protocol code.' }, { group: ['**/rules/**', '**/rules'], message: 'The engine never imports the rules: rules import the engine.' }] }],
    },
  },
);
