/**
 * The workspace's Python modules, found as the import system would find
 * them on a path of the importing file's package root, its folder and the
 * workspace folders: `a/b.py`, `a/b/__init__.py`, or a folder (a namespace
 * package). Open documents are read from their current text (unsaved edits
 * included); other files from disk, parsed once per modification.
 *
 * Only what the static MRO needs is kept of a file (its outline.ts outline),
 * never its tree: a workspace of thousands of modules costs their class and
 * import lists.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Parser } from 'web-tree-sitter';
import type { ParsedDocument } from '../documents/documents';
import type { ModuleOutline } from './model';
import { outlineOf, readTree } from './outline';

export interface ModuleSource {
  /** Dotted, as the file's package folders make it (`pkg.shapes`; a package is its `__init__`). */
  name: string;
  uri: string;
  /** The file on disk; absent for an untitled document. */
  file?: string;
  /** The file is a package's `__init__.py` (or a namespace folder). */
  isPackage: boolean;
  outline: ModuleOutline;
}

interface DiskEntry {
  mtimeMs: number;
  size: number;
  outline: ModuleOutline;
}

/** A file checked this recently is not checked again (a request resolves many names). */
const STAT_TTL_MS = 1000;

const EMPTY: ModuleOutline = { classes: [], bindings: [] };

export class ModuleIndex {
  private readonly disk = new Map<string, DiskEntry>();
  private readonly documentOutlines = new WeakMap<ParsedDocument, { version: number; outline: ModuleOutline }>();
  private readonly stats = new Map<string, { at: number; kind: 'file' | 'dir' | 'none'; mtimeMs: number; size: number }>();

  constructor(
    private readonly parser: Parser,
    /** Open documents, for their current text. */
    private readonly openDocuments: () => Iterable<ParsedDocument>,
    /** Workspace folders (paths), searched after the importing file's own roots. */
    private readonly workspaceFolders: () => readonly string[],
  ) {}

  /** The module an open document is. */
  documentModule(doc: ParsedDocument): ModuleSource {
    const file = doc.uri.startsWith('file:') ? doc.filename : undefined;
    const { name, isPackage } = file ? this.moduleName(file) : { name: untitledName(doc.uri), isPackage: false };
    return { name, uri: doc.uri, ...(file ? { file } : {}), isPackage, outline: this.outlineOfDocument(doc) };
  }

  /**
   * The module `module` (dotted; `level` leading dots for a relative import)
   * as imported from `from`, or undefined when it is not in the workspace.
   */
  resolve(from: ModuleSource, module: string, level: number): ModuleSource | undefined {
    const parts = module ? module.split('.') : [];
    if (level > 0) {
      // Relative to the module's package; past its top-level package Python raises ImportError.
      const names = from.name.split('.');
      const packageParts = from.isPackage ? names : names.slice(0, -1);
      if (!from.file || level > packageParts.length) return undefined;
      let base = path.dirname(from.file);
      for (let i = 1; i < level; i++) base = path.dirname(base);
      return this.find([base], parts, packageParts.slice(0, packageParts.length - (level - 1)));
    }
    return this.find(this.searchPath(from), parts, []);
  }

  /**
   * Where absolute imports are looked for from a module: the folder its top
   * package is in (a top-level module's own folder), then the workspace
   * folders. A module inside a package does not see its own folder (nor does
   * Python, unless that folder is on sys.path).
   */
  private searchPath(from: ModuleSource): string[] {
    const roots: string[] = [];
    if (from.file) {
      const depth = from.name.split('.').length - (from.isPackage ? 0 : 1);
      let top = path.dirname(from.file);
      for (let i = 0; i < depth; i++) top = path.dirname(top);
      roots.push(top);
    }
    roots.push(...this.workspaceFolders());
    return [...new Set(roots)];
  }

  /** As the import system's path finder: per root a package, else a module; a namespace package only when no root has either. */
  private find(roots: string[], parts: string[], prefix: string[]): ModuleSource | undefined {
    if (parts.length === 0) {
      // `from . import x`: the package itself.
      const dir = roots[0];
      if (!dir) return undefined;
      return this.load(path.join(dir, '__init__.py'), prefix.join('.'), true) ?? this.namespace(dir, prefix.join('.'));
    }
    const name = [...prefix, ...parts].join('.');
    let portion: ModuleSource | undefined;
    for (const root of roots) {
      const base = path.join(root, ...parts);
      const asPackage = this.load(path.join(base, '__init__.py'), name, true);
      if (asPackage) return asPackage;
      const asFile = this.load(`${base}.py`, name, false);
      if (asFile) return asFile;
      portion ??= this.namespace(base, name);
    }
    return portion;
  }

  private namespace(dir: string, name: string): ModuleSource | undefined {
    if (this.stat(dir).kind !== 'dir') return undefined;
    return { name, uri: pathToFileURL(dir).href, file: path.join(dir, '__init__.py'), isPackage: true, outline: EMPTY };
  }

  private load(file: string, name: string, isPackage: boolean): ModuleSource | undefined {
    const open = this.openDocument(file);
    if (open) return { name, uri: open.uri, file, isPackage, outline: this.outlineOfDocument(open) };
    const stat = this.stat(file);
    if (stat.kind !== 'file') return undefined;
    let entry = this.disk.get(file);
    if (!entry || entry.mtimeMs !== stat.mtimeMs || entry.size !== stat.size) {
      let outline = EMPTY;
      try {
        const tree = this.parser.parse(fs.readFileSync(file, 'utf8'));
        if (tree) {
          outline = readTree(tree);
          tree.delete();
        }
      } catch {
        // Unreadable: a module with nothing in it (the MRO says the name is not defined there).
      }
      entry = { mtimeMs: stat.mtimeMs, size: stat.size, outline };
      this.disk.set(file, entry);
    }
    return { name, uri: pathToFileURL(file).href, file, isPackage, outline: entry.outline };
  }

  /** One outline per document version: resolving a module's classes reaches an imported open module many times. */
  private outlineOfDocument(doc: ParsedDocument): ModuleOutline {
    const known = this.documentOutlines.get(doc);
    if (known?.version === doc.version) return known.outline;
    const outline = outlineOf(doc.trees, doc.chunkStartRows);
    this.documentOutlines.set(doc, { version: doc.version, outline });
    return outline;
  }

  private openDocument(file: string): ParsedDocument | undefined {
    for (const doc of this.openDocuments()) if (doc.uri.startsWith('file:') && doc.filename === file) return doc;
    return undefined;
  }

  private stat(p: string) {
    const now = Date.now();
    const cached = this.stats.get(p);
    if (cached && now - cached.at < STAT_TTL_MS) return cached;
    let entry: { at: number; kind: 'file' | 'dir' | 'none'; mtimeMs: number; size: number };
    try {
      const s = fs.statSync(p);
      entry = { at: now, kind: s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'none', mtimeMs: s.mtimeMs, size: s.size };
    } catch {
      entry = { at: now, kind: 'none', mtimeMs: 0, size: 0 };
    }
    this.stats.set(p, entry);
    return entry;
  }

  /** A file's dotted name: its stem under the package folders (with `__init__.py`) above it; `root`: the folder its top package is in. */
  moduleName(file: string): { name: string; isPackage: boolean; root: string } {
    const stem = path.basename(file, '.py');
    const isPackage = stem === '__init__';
    const parts = isPackage ? [] : [stem];
    let dir = path.dirname(file);
    if (isPackage) {
      parts.unshift(path.basename(dir));
      dir = path.dirname(dir);
    }
    while (this.stat(path.join(dir, '__init__.py')).kind === 'file' && path.dirname(dir) !== dir) {
      parts.unshift(path.basename(dir));
      dir = path.dirname(dir);
    }
    return { name: parts.join('.'), isPackage, root: dir };
  }
}

function untitledName(uri: string): string {
  return uri.replace(/^.*[/:]/, '').replace(/\.py$/, '') || '__main__';
}
