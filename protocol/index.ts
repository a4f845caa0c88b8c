export * from './bytecode';
export * from './collector';
export * from './lsp';
export * from './pipeline';
export * from './webview';
