/**
 * The layers, checked on every `npm run lint` (and so in `npm test` and CI):
 *
 *   extension/ ──→ protocol/ ←── server/        webview/ ──→ protocol/
 *
 * protocol/ is the only thing the three sides share; the server runs in its
 * own process (no `vscode` there, so any LSP client can use it), a page talks
 * to the extension only by typed messages, and the extension starts the
 * server as a process, never imports it. No import cycles anywhere: type-only
 * imports count (`tsPreCompilationDeps`), since a cycle of types is still two
 * modules that cannot be read apart.
 *
 * test/unit/layers.test.ts runs these rules on a fixture that breaks each one.
 */
// `vscode` exists only in the extension host: it resolves to its types, or to nothing.
const VSCODE = ['^vscode$', '(^|/)node_modules/@types/vscode/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: break it with a module both sides import (a model or common module), not a lazy import.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'protocol-is-self-contained',
      comment: 'protocol/ is shared by every side, so it imports nothing of ours outside itself.',
      severity: 'error',
      from: { path: '^protocol/' },
      to: { dependencyTypes: ['local'], pathNot: '^protocol/' },
    },
    {
      name: 'protocol-common-imports-nothing',
      comment: 'protocol/common.ts holds the small shared types every protocol module may use: it imports nothing at all.',
      severity: 'error',
      from: { path: '^protocol/common\\.ts$' },
      to: {},
    },
    {
      name: 'server-not-vscode',
      comment: 'The server runs outside VS Code (any LSP client, the CLI): never the vscode API.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: VSCODE },
    },
    {
      name: 'server-not-extension-or-webview',
      comment: 'The server shares only protocol/ with the extension and the pages.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(extension|webview)/' },
    },
    {
      name: 'webview-not-server-or-extension',
      comment: 'A page talks to the extension by typed messages (protocol/webview.ts), never by importing it or the server.',
      severity: 'error',
      from: { path: '^webview/' },
      to: { path: ['^(server|extension)/', ...VSCODE] },
    },
    {
      name: 'extension-not-server',
      comment: 'The extension starts the server as a process and talks LSP to it (protocol/), never imports its code.',
      severity: 'error',
      from: { path: '^extension/' },
      to: { path: '^server/' },
    },
    {
      name: 'shipped-not-tests',
      comment: 'What ships never imports test or bench code.',
      severity: 'error',
      from: { path: '^(protocol|server|extension|webview)/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
