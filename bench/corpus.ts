/**
 * The bench's Python files: standard-library modules concatenated to a size
 * (about 1,000 and 18,000 lines), with the lines that have instructions in a
 * function's own code object (where the hovers go) and the first line of
 * every top-level statement (where the edits go).
 */
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InterpreterInfo } from '../protocol';

export interface Corpus {
  file: string;
  text: string;
  /** 0-based lines of statements inside function bodies. */
  functionLines: number[];
  /** 0-based first line (first decorator) of every top-level statement. */
  topLevelStarts: number[];
}

/** Concatenate standard-library modules (their `from __future__` lines dropped) to about `targetLines`. */
export function buildCorpus(python: InterpreterInfo, modules: string[], targetLines: number, dir: string, name: string): Corpus {
  const script = String.raw`
import ast, dis, json, sys, sysconfig, os
stdlib = sysconfig.get_paths()["stdlib"]
mods, target = json.loads(sys.argv[1]), int(sys.argv[2])
parts, count = [], 0
for m in mods:
    with open(os.path.join(stdlib, m + ".py"), encoding="utf-8") as f:
        text = "".join(l for l in f if not l.startswith("from __future__"))
    parts.append("# ---- " + m + ".py\n" + text)
    count += text.count("\n") + 1
    if count >= target:
        break
source = "\n".join(parts)
tree = ast.parse(source)
fn_lines, tops = set(), []
for node in tree.body:
    tops.append(min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1)
# Lines that have instructions in a function's own code object (not a class body or the module).
def visit(code):
    if code.co_flags & 0x1:
        for instr in dis.get_instructions(code):
            line = getattr(instr, "line_number", None) if sys.version_info >= (3, 13) else (instr.positions.lineno if sys.version_info >= (3, 11) else instr.starts_line)
            if line:
                fn_lines.add(line - 1)
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            visit(const)
visit(compile(source, "corpus.py", "exec"))
# A function's header line belongs to its parent's scope in the hover; keep body lines.
fn_lines -= set(n.lineno - 1 for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)))
print(json.dumps({"source": source, "functionLines": sorted(fn_lines), "tops": tops}))
`;
  const out = cp.execFileSync(python.executable, ['-I', '-c', script, JSON.stringify(modules), String(targetLines)], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const parsed = JSON.parse(out) as { source: string; functionLines: number[]; tops: number[] };
  const file = path.join(dir, name);
  fs.writeFileSync(file, parsed.source);
  return { file, text: parsed.source, functionLines: parsed.functionLines, topLevelStarts: parsed.tops };
}
