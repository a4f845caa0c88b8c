/**
 * pyinternals: the headless face of the server's code (same service, same
 * worker, same snippet logic; not a second implementation).
 *
 *   pyinternals bytecode FILE [--line N] [--python PATH] [--json]
 *   pyinternals mro FILE [--class QUALNAME] [--root DIR] [--json]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { InterpreterInfo } from '../protocol';
import { BytecodeError, BytecodeService } from './bytecode/service';
import { ParsedDocument } from './documents/documents';
import { formatInstruction } from './bytecode/listing';
import { silentLogger, stderrLogger } from './common/logger';
import { UserError } from './common/userError';
import { createParser } from './documents/parser';
import { WorkerPool } from './cpython/pool';
import { Session } from './cpython/session';
import { CollectorRequestError } from './cpython/worker';
import { ModuleIndex } from './mro/modules';
import { lensTitle } from './mro/presentation';
import { MroService } from './mro/service';

const USAGE = `Usage: pyinternals bytecode FILE [--line N] [--python PATH] [--json]
       pyinternals mro FILE [--class QUALNAME] [--root DIR] [--json]

  bytecode       the file's bytecode, as the hover and the listing show it
  mro            the static MRO of the file's classes (nothing runs), as the code lenses show it
  FILE           a Python source file (any encoding CPython accepts; mro: UTF-8)
  --line N       only line N (1-based): the instructions the hover shows
  --class NAME   mro: this class only, in full (C3 steps, attribute resolution)
  --root DIR     mro: where imported modules are looked for besides the file's own package (default: the current folder)
  --python PATH  the interpreter (default: python3, then python, on PATH); wasm:3.14: the bundled CPython 3.14 in WebAssembly
  --json         print JSON in the protocol's schema (protocol/lsp.ts, protocol/collector.ts, protocol/mro.ts)
  --verbose      log worker activity to stderr
`;

interface Options {
  command: 'bytecode' | 'mro';
  file: string;
  qualname?: string;
  root?: string;
  line?: number;
  python?: string;
  json: boolean;
  verbose: boolean;
}

class UsageError extends Error {}

export function parseArgs(argv: string[]): Options {
  const [command, ...rest] = argv;
  if (command !== 'bytecode' && command !== 'mro') throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
  const options: Partial<Options> & { command: Options['command']; json: boolean; verbose: boolean } = {
    command,
    json: false,
    verbose: false,
  };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value.`);
      return v;
    };
    if (arg === '--line') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new UsageError('--line needs a positive whole number.');
      options.line = n;
    } else if (arg === '--python') options.python = value();
    else if (arg === '--class' && command === 'mro') options.qualname = value();
    else if (arg === '--root' && command === 'mro') options.root = value();
    else if (arg === '--json') options.json = true;
    else if (arg === '--verbose') options.verbose = true;
    else if (arg.startsWith('-')) throw new UsageError(`Unknown option ${arg}.`);
    else if (options.file) throw new UsageError(`Only one FILE, please (got ${options.file} and ${arg}).`);
    else options.file = arg;
  }
  if (!options.file) throw new UsageError('No FILE given.');
  return options as Options;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`pyinternals: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.command === 'mro') return mro(options);
  const log = options.verbose ? stderrLogger : silentLogger;
  const session = new Session(log);
  session.update(options.python ? { interpreterPath: options.python } : {});
  const pool = new WorkerPool(log, session.requestTimeoutMs);
  try {
    const interpreter = await session.interpreter();
    const file = path.resolve(options.file);
    const text = await readSource(file, pool, interpreter);
    const doc = new ParsedDocument(await createParser(), pathToFileURL(file).href, 1, text);
    const service = new BytecodeService(pool);
    if (options.line !== undefined) {
      if (options.line > doc.lineCount)
        throw new BytecodeError(`${options.file} has ${doc.lineCount} lines; there is no line ${options.line}.`);
      const result = await service.lineBytecodeAtLine(interpreter, doc, options.line);
      if (options.json) print(JSON.stringify(result, null, 2));
      else {
        print(
          `# ${result.codeObject.qualname} · line ${result.line} · ${result.instructions.length} of ${result.instructionCount} instructions · CPython ${interpreter.versionText}`,
        );
        print(
          result.instructions.length
            ? result.instructions.map((i) => formatInstruction(i, true)).join('\n')
            : '# (no instructions on this line)',
        );
      }
    } else if (options.json) {
      print(JSON.stringify({ interpreter, ...(await service.compileFile(interpreter, doc)) }, null, 2));
    } else {
      print((await service.listing(interpreter, doc)).text);
    }
    doc.dispose();
    return 0;
  } catch (err) {
    if (err instanceof UserError || err instanceof CollectorRequestError) {
      process.stderr.write(`pyinternals: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    pool.dispose();
  }
}

/** The static MRO of a file's classes (no interpreter needed: nothing is compiled or run). */
async function mro(options: Options): Promise<number> {
  const file = path.resolve(options.file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`pyinternals: Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
    return 1;
  }
  const parser = await createParser();
  const doc = new ParsedDocument(parser, pathToFileURL(file).href, 1, text);
  const service = new MroService(
    new ModuleIndex(
      await createParser(),
      () => [doc],
      () => [path.resolve(options.root ?? '.')],
    ),
  );
  try {
    const result = service.request(doc, { textDocument: { uri: doc.uri }, ...(options.qualname ? { qualname: options.qualname } : {}) });
    if (options.qualname && !result.detail) {
      process.stderr.write(
        `pyinternals: no class ${options.qualname} in ${options.file} (it has: ${result.classes.map((c) => c.qualname).join(', ') || 'none'})\n`,
      );
      return 1;
    }
    if (options.json) {
      print(JSON.stringify(options.qualname ? result.detail : result.classes, null, 2));
      return 0;
    }
    for (const summary of options.qualname ? result.classes.filter((c) => c.qualname === options.qualname) : result.classes) {
      print(`${String(summary.span[0] + 1).padStart(5)}  ${summary.qualname}: ${lensTitle(summary).replace(/^MRO: /, '')}`);
    }
    const detail = result.detail;
    if (detail) {
      const name = (key: string) => detail.graph.classes.find((c) => c.key === key)?.qualname ?? key;
      for (const a of detail.attributes) {
        const shadows = a.shadows.length ? ` (shadows ${a.shadows.map((s) => name(s.key)).join(', ')})` : '';
        print(`       ${a.name}: ${name(a.definedIn)}, ${a.kind}${shadows}`);
      }
    }
    return 0;
  } finally {
    doc.dispose();
  }
}

/** Decode the file as CPython would (BOM, coding cookie, else UTF-8), by asking CPython. */
async function readSource(file: string, pool: WorkerPool, interpreter: InterpreterInfo): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new BytecodeError(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const { text } = await pool.get(interpreter).request('decode', { base64: bytes.toString('base64') });
    return text;
  } catch (err) {
    if (err instanceof CollectorRequestError) throw new BytecodeError(`${path.basename(file)}: ${err.detail.message}`);
    throw err;
  }
}

function print(text: string): void {
  process.stdout.write(text + '\n');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`pyinternals: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 70;
  },
);
