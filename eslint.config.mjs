/**
 * ESLint, run by `npm run lint` (in `npm test`, so in CI): @eslint/js's and
 * typescript-eslint's recommended rules, type-checked (each file with the
 * tsconfig.json nearest to it: webview/ has its own). Prettier owns the
 * format and .dependency-cruiser.cjs the imports between layers, so neither
 * is checked here. The pages (webview/) run in a browser, the rest in Node.
 */
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['out/', 'dist/', '.cache/', 'node_modules/', 'test-results/', 'test/corpus/', 'examples/', 'media/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A request or notification is a namespace holding its `method` and `type`, as in
      // vscode-languageserver-protocol: call sites read `LineBytecodeRequest.type`.
      '@typescript-eslint/no-namespace': 'off',
      // An interface that returns a promise (a serializer, a message writer, a request
      // handler) is implemented `async` without an await, so a throw becomes a rejection.
      '@typescript-eslint/require-await': 'off',
      // `_`-prefixed names are deliberately unused: a parameter an interface passes, or what
      // a destructuring leaves out of the rest (`const { children: _children, ...node } = n`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The build scripts and these configs are plain JavaScript outside any tsconfig.
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['webview/**'],
    languageOptions: { globals: globals.browser },
    rules: {
      // lit calls a template's event listeners (`@click=${this.onClick}`) with the element
      // as `this`, so passing a method unbound is how a page listens.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
