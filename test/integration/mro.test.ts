/**
 * The static MRO (server/mro/) against CPython's own `__mro__`, on every
 * installed CPython, over the corpus in test/corpus/mro: diamonds, explicit
 * `object`, mixins, nested classes, classes across modules through every
 * import form, `Generic[T]` and other bases known only at run time, and
 * hierarchies CPython refuses (its TypeError's words).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { InterpreterInfo, StaticMro } from '../../protocol';
import { DocumentStore } from '../../server/documents/documents';
import { createParser } from '../../server/documents/parser';
import { ModuleIndex } from '../../server/mro/modules';
import { MroService } from '../../server/mro/service';
import { runDocument } from '../../server/runtime/service';
import { repoRoot, tempDir, testPythons } from '../helpers/pythons';

const CORPUS = path.join(repoRoot, 'test', 'corpus', 'mro');

/** Each module executed as itself; its classes' `__mro__` as `module:qualname`, and the TypeError that stopped it. */
const PROBE = String.raw`
import gc, json, os, sys, traceback
gc.disable()
root = sys.argv[1]
sys.path.insert(0, root)
out = {}
for name, path in json.loads(sys.argv[2]):
    package = name.rpartition(".")[0] if not path.endswith("__init__.py") else name
    ns = {"__name__": name, "__package__": package, "__file__": path}
    error = None
    try:
        with open(path) as f:
            exec(compile(f.read(), path, "exec"), ns)
    except TypeError as exc:
        line = traceback.extract_tb(exc.__traceback__)[-1].lineno
        error = {"message": str(exc), "line": line}
    classes = {}
    def visit(obj):
        for value in list(vars(obj).values()) if not isinstance(obj, dict) else list(obj.values()):
            if isinstance(value, type) and value.__module__ == name and value.__qualname__ not in classes:
                classes[value.__qualname__] = [c.__module__ + ":" + c.__qualname__ for c in value.__mro__]
                visit(value)
    visit(ns)
    # Classes whose name was bound again (a star import over a class): alive still, with gc off.
    stack = [object]
    seen = set()
    while stack:
        cls = stack.pop()
        for sub in type.__subclasses__(cls):
            if id(sub) in seen:
                continue
            seen.add(id(sub))
            stack.append(sub)
            if sub.__module__ == name and sub.__qualname__ not in classes:
                classes[sub.__qualname__] = [c.__module__ + ":" + c.__qualname__ for c in sub.__mro__]
    out[name] = {"classes": classes, "error": error}
print(json.dumps(out))
`;

interface Probe {
  classes: Record<string, string[]>;
  error: { message: string; line: number } | null;
}

function corpusModules(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (dir: string, prefix: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, [...prefix, entry.name]);
      else if (entry.name.endsWith('.py')) {
        const stem = entry.name.slice(0, -3);
        out.push([[...prefix, ...(stem === '__init__' ? [] : [stem])].join('.'), full]);
      }
    }
  };
  walk(CORPUS, []);
  return out;
}

function probe(python: InterpreterInfo, modules: Array<[string, string]>): Record<string, Probe> {
  const text = execFileSync(python.executable, ['-I', '-c', PROBE, CORPUS, JSON.stringify(modules)], { encoding: 'utf8', cwd: CORPUS });
  return JSON.parse(text) as Record<string, Probe>;
}

/** As CPython names them (`module:qualname`): a static key tells apart two classes of one qualname with `@line`. */
const keysOf = (mro: StaticMro) => mro.mro.map((c) => c.key.replace(/@\d+$/, ''));
const words = (s: string) => s.replace(/\s+/g, ' ');

describe('static MRO (C3 from tree-sitter trees) against CPython __mro__', function () {
  this.timeout(120_000);
  const modules = corpusModules();
  let service: MroService;
  let store: DocumentStore;
  /** The static MRO of every class of every corpus module, as if each file were open in the editor. */
  const statics = new Map<string, Map<string, StaticMro>>();

  before(async () => {
    const parser = await createParser();
    store = new DocumentStore(parser);
    const index = new ModuleIndex(
      parser,
      () => store.all(),
      () => [CORPUS],
    );
    service = new MroService(index);
    for (const [name, file] of modules) {
      const doc = store.open(pathToFileURL(file).href, 1, fs.readFileSync(file, 'utf8'));
      const perClass = new Map<string, StaticMro>();
      for (const summary of service.summaries(doc)) {
        const detail = service.request(doc, { textDocument: { uri: doc.uri }, qualname: summary.qualname }).detail!;
        perClass.set(summary.qualname, detail);
      }
      statics.set(name, perClass);
      store.close(doc.uri);
    }
  });

  it('the corpus has the hierarchies it claims', () => {
    const all = [...statics.values()].flatMap((m) => [...m.values()]);
    assert.ok(all.length >= 35, `only ${all.length} classes`);
    assert.ok(all.filter((m) => m.complete).length >= 25);
    assert.ok(
      all.some((m) => !m.complete && !m.error),
      'a class whose bases do not all resolve',
    );
    assert.ok(all.filter((m) => m.error).length >= 4, 'inconsistent hierarchies');
  });

  it('the diamond linearizes as C3 says, with who() from Left', () => {
    const diamond = statics.get('diamond')!.get('Diamond')!;
    assert.deepEqual(keysOf(diamond), ['diamond:Diamond', 'diamond:Left', 'diamond:Right', 'diamond:Root', 'builtins:object']);
    const who = diamond.attributes.find((a) => a.name === 'who')!;
    assert.equal(who.definedIn, 'diamond:Left');
    assert.deepEqual(
      who.shadows.map((s) => s.key),
      ['diamond:Right', 'diamond:Root'],
    );
    assert.equal(diamond.attributes.find((a) => a.name === 'only_right')!.definedIn, 'diamond:Right');
    // The merge: MRO(Left), MRO(Right), [Left, Right]; Root is refused once (in Right's tail) before Right is taken.
    assert.deepEqual(
      diamond.steps.map((s) => s.chosen),
      ['diamond:Left', 'diamond:Right', 'diamond:Root', 'builtins:object'],
    );
    assert.deepEqual(diamond.steps[1]!.rejected, [{ head: 'diamond:Root', inTailOf: 1 }]);
    const edges = diamond.graph.edges.map((e) => `${e.from}>${e.to}`).sort();
    assert.deepEqual(edges, [
      'diamond:Diamond>diamond:Left',
      'diamond:Diamond>diamond:Right',
      'diamond:Left>diamond:Root',
      'diamond:Right>diamond:Root',
      'diamond:Root>builtins:object',
    ]);
  });

  it('attribute kinds come from decorators, slots and assignments', () => {
    const model = statics.get('mixins')!.get('Model')!;
    const kind = (name: string) => model.attributes.find((a) => a.name === name)?.kind;
    assert.equal(kind('title'), 'property');
    assert.equal(kind('create'), 'classmethod');
    assert.equal(kind('helper'), 'staticmethod');
    assert.equal(kind('id'), 'slot');
    assert.equal(kind('to_json'), 'method');
    assert.equal(kind('level'), 'value');
    assert.deepEqual(model.slots, ['id', 'name']);
  });

  it('a base known only at run time stops the static MRO there, and says why', () => {
    const box = statics.get('generic')!.get('Box')!;
    assert.equal(box.complete, false);
    assert.equal(box.stopsAt, '?:Generic[T]');
    assert.match(box.mro[1]!.unresolved!, /subscript/);
    const ordered = statics.get('generic')!.get('Ordered')!;
    assert.equal(ordered.mro[1]!.qualname, 'collections.OrderedDict');
    assert.match(ordered.mro[1]!.unresolved!, /not in the workspace/);
    assert.match(statics.get('generic')!.get('Error')!.mro[1]!.unresolved!, /builtin/);
    assert.match(statics.get('generic')!.get('Made')!.mro[1]!.unresolved!, /call/);
  });

  it('does not follow what only a run can tell, and does not loop: star imports that do not export a name, PEP 695, packages before modules, import cycles, relative imports past the top', async () => {
    const dir = tempDir('mro-static');
    const write = (name: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    };
    write('starsrc.py', '__all__ = ["Public"]\nclass Public: pass\nclass Extra: pass\nclass _Hidden: pass\n');
    write('noall.py', 'class Shown: pass\nclass _Private: pass\n');
    write(
      'uses.py',
      'from starsrc import *\nfrom noall import *\nclass A(Public): pass\nclass B(Extra): pass\nclass C(Shown): pass\nclass D(_Private): pass\nclass E[T](Public): pass\n',
    );
    write('dual.py', 'class FromModule: pass\n');
    write('dual/__init__.py', 'class FromPackage: pass\n');
    write('pick.py', 'import dual\nfrom dual import FromPackage\nclass P(FromPackage): pass\nclass M(dual.FromModule): pass\n');
    write('cyc_a.py', 'from cyc_b import *\nfrom cyc_b import Loop\nclass A(Undefined): pass\nclass L(Loop): pass\n');
    write('cyc_b.py', 'from cyc_a import *\nfrom cyc_a import Loop\n');
    write('top.py', 'from . import sibling\nclass T(sibling.S): pass\n');
    const parser = await createParser();
    const docs = new DocumentStore(parser);
    const own = new MroService(
      new ModuleIndex(
        parser,
        () => docs.all(),
        () => [dir],
      ),
    );
    const mroOf = (file: string, qualname: string) => {
      const doc = docs.open(pathToFileURL(path.join(dir, file)).href, 1, fs.readFileSync(path.join(dir, file), 'utf8'));
      try {
        return own.request(doc, { textDocument: { uri: doc.uri }, qualname }).detail!;
      } finally {
        docs.close(doc.uri);
      }
    };
    assert.deepEqual(keysOf(mroOf('uses.py', 'A')), ['uses:A', 'starsrc:Public', 'builtins:object']);
    assert.match(mroOf('uses.py', 'B').mro[1]!.unresolved!, /not defined/, 'Extra is not in __all__');
    assert.deepEqual(keysOf(mroOf('uses.py', 'C')), ['uses:C', 'noall:Shown', 'builtins:object']);
    assert.match(mroOf('uses.py', 'D').mro[1]!.unresolved!, /not defined/, 'a star import skips _names');
    const generic = mroOf('uses.py', 'E');
    assert.deepEqual(
      generic.bases.map((b) => b.name),
      ['Public', 'Generic'],
    );
    assert.equal(generic.complete, false);
    assert.match(generic.mro.find((c) => c.unresolved)!.unresolved!, /PEP 695/);
    assert.deepEqual(keysOf(mroOf('pick.py', 'P')), ['pick:P', 'dual:FromPackage', 'builtins:object'], 'the package wins over dual.py');
    assert.match(mroOf('pick.py', 'M').mro[1]!.unresolved!, /not defined in module `dual`/);
    assert.match(mroOf('cyc_a.py', 'A').mro[1]!.unresolved!, /not defined|cycle/);
    assert.match(mroOf('cyc_a.py', 'L').mro[1]!.unresolved!, /cycle|not defined/);
    assert.match(mroOf('top.py', 'T').mro[1]!.unresolved!, /not in the workspace/, 'no parent package: ImportError in Python');
  });

  describe('on every CPython', () => {
    let pythons: InterpreterInfo[] = [];
    before(async () => {
      pythons = await testPythons();
    });

    it('every class whose bases resolve has exactly CPython’s __mro__; the others agree up to where they stop', () => {
      for (const python of pythons) {
        const runtime = probe(python, modules);
        let compared = 0;
        for (const [module, perClass] of statics) {
          const real = runtime[module]!;
          for (const [qualname, mro] of perClass) {
            const where = `${module}:${qualname} on ${python.versionText}`;
            if (mro.error) continue;
            const actual = real.classes[qualname];
            if (!actual) {
              // Defined after the statement that failed, or in a function: never created by the probe.
              assert.ok(real.error || qualname.includes('<locals>'), `${where}: CPython has no such class`);
              continue;
            }
            if (mro.complete) {
              assert.deepEqual(keysOf(mro), actual, where);
              compared++;
            } else {
              const exact = mro.mro.findIndex((c) => c.key === mro.stopsAt);
              assert.ok(exact > 0, `${where}: an incomplete MRO says where it stops`);
              assert.deepEqual(keysOf(mro).slice(0, exact), actual.slice(0, exact), where);
            }
          }
        }
        assert.ok(compared >= 25, `${python.versionText}: only ${compared} compared`);
      }
    });

    it('a hierarchy CPython refuses fails statically on the same class, in CPython’s words', () => {
      for (const python of pythons) {
        const runtime = probe(python, modules);
        let refused = 0;
        for (const [module, real] of Object.entries(runtime)) {
          if (!real.error) continue;
          refused++;
          const failing = [...statics.get(module)!.values()].find((m) => m.cls.span![0] + 1 === real.error!.line);
          assert.ok(failing, `${module}: a class on line ${real.error.line}`);
          assert.equal(failing.error, words(real.error.message), `${module} on ${python.versionText}`);
          assert.deepEqual(failing.mro, []);
        }
        assert.equal(refused, 4, `${python.versionText}: the four bad_* modules`);
      }
    });

    it('the runtime view imports the module as itself and reads __mro__, kinds and shadows as the data model says', async () => {
      const file = path.join(CORPUS, 'pkg', 'sub', 'leaf.py');
      const parser = await createParser();
      const docs = new DocumentStore(parser);
      const doc = docs.open(
        pathToFileURL(file).href,
        1,
        fs.readFileSync(file, 'utf8') + '\nif __name__ == "__main__":\n    raise SystemExit("ran as __main__")\n',
      );
      const importedAs = new MroService(
        new ModuleIndex(
          parser,
          () => docs.all(),
          () => [CORPUS],
        ),
      ).importedAs(doc)!;
      assert.deepEqual(importedAs, { name: 'pkg.sub.leaf', root: CORPUS });
      for (const python of pythons) {
        const limits = { trusted: true, timeoutMs: 30_000, memoryMb: 1024 };
        const result = await runDocument(
          doc,
          { textDocument: { uri: doc.uri }, view: 'mro', runId: 'mro' },
          python,
          limits,
          () => {},
          undefined,
          importedAs,
        );
        assert.equal(result.exit.status, 0, `${python.versionText}: ${result.summary}`);
        const report = result.mro!;
        assert.equal(report.module, 'pkg.sub.leaf');
        const viaStar = report.classes.find((c) => c.qualname === 'ViaStar')!;
        const keys = viaStar.mro.map((c) => `${c.module}:${c.qualname}`);
        assert.deepEqual(keys, keysOf(statics.get('pkg.sub.leaf')!.get('ViaStar')!), python.versionText);
        assert.equal(viaStar.metaclass, 'builtins.type');
        const attr = (name: string) => viaStar.attributes.find((a) => a.name === name)!;
        const at = (a: { definedIn: number }) => keys[a.definedIn];
        assert.equal(attr('title').kind, 'property');
        assert.equal(attr('create').kind, 'classmethod');
        assert.equal(attr('helper').kind, 'staticmethod');
        assert.equal(attr('id').kind, 'slot');
        assert.equal(attr('__dict__').kind, 'data descriptor');
        assert.equal(attr('to_json').kind, 'method');
        assert.equal(attr('level').kind, 'value');
        // run(): Mid's, shadowing Base's; __init__ from object.
        assert.equal(at(attr('run')), 'pkg.base:Mid');
        assert.deepEqual(
          attr('run').shadows.map((i) => keys[i]),
          ['pkg.base:Base'],
        );
        assert.equal(at(attr('__init__')), 'builtins:object');
        assert.deepEqual(report.classes.find((c) => c.qualname === 'ViaStar')!.slots, null);
        assert.ok(viaStar.mro[1]!.file?.endsWith('mixins.py'));
      }
      docs.close(doc.uri);
    });

    it('the runtime view imports a module its own package imports first (from .models import Item), with a spec, and reads builtins in a class as values', async () => {
      const dir = tempDir('mro-shop');
      fs.mkdirSync(path.join(dir, 'shop'));
      fs.writeFileSync(path.join(dir, 'shop', '__init__.py'), 'from .models import Item\n');
      const source =
        'import importlib.util\nclass Base:\n    size = len\nclass Item(Base):\n    pass\nprint("spec found:", importlib.util.find_spec(__name__) is not None)\n';
      const file = path.join(dir, 'shop', 'models.py');
      fs.writeFileSync(file, source);
      const parser = await createParser();
      const docs = new DocumentStore(parser);
      const doc = docs.open(pathToFileURL(file).href, 1, source);
      const importedAs = new MroService(
        new ModuleIndex(
          parser,
          () => docs.all(),
          () => [dir],
        ),
      ).importedAs(doc)!;
      assert.deepEqual(importedAs, { name: 'shop.models', root: dir });
      for (const python of pythons) {
        let out = '';
        const result = await runDocument(
          doc,
          { textDocument: { uri: doc.uri }, view: 'mro', runId: 'shop' },
          python,
          { trusted: true, timeoutMs: 30_000, memoryMb: 1024 },
          (_s, t) => void (out += t),
          undefined,
          importedAs,
        );
        assert.equal(result.exit.status, 0, `${python.versionText}: ${result.summary}`);
        assert.match(out, /spec found: True/);
        const item = result.mro!.classes.find((c) => c.qualname === 'Item')!;
        assert.deepEqual(
          item.mro.map((c) => `${c.module}:${c.qualname}`),
          ['shop.models:Item', 'shop.models:Base', 'builtins:object'],
        );
        assert.equal(item.attributes.find((a) => a.name === 'size')!.kind, 'value', 'len is not bound: a plain value');
        assert.equal(item.attributes.find((a) => a.name === '__init_subclass__')!.kind, 'classmethod');
      }
      docs.close(doc.uri);
    });
  });
});
