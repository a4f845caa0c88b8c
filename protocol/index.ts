export * from './bytecode';
export * from './runtime';
export * from './collector';
export * from './lsp';
export * from './pipeline';
export * from './webview';
export * from './mro';
