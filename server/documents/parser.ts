/**
 * web-tree-sitter with the Python grammar that tree-sitter-python 0.25 ships
 * (ABI 15). WebAssembly, not the native binding: one build for every platform
 * and no Electron ABI trouble.
 */
import { Language, Parser } from 'web-tree-sitter';
import { wasmPath } from '../common/assets';

let loading: Promise<Language> | undefined;

export function loadPython(): Promise<Language> {
  loading ??= (async () => {
    await Parser.init({ locateFile: () => wasmPath('tree-sitter.wasm') });
    return Language.load(wasmPath('tree-sitter-python.wasm'));
  })();
  return loading;
}

export async function createParser(): Promise<Parser> {
  const language = await loadPython();
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

export { Parser, Language };
