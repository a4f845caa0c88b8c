export * from './collector';
export * from './lsp';
