/**
 * `<pi-cfg>`: a code object's control-flow graph, laid out by Graphviz
 * (@hpcc-js/wasm-graphviz: dot compiled to WebAssembly, loaded the first
 * time a graph is shown). Built from the collector's blocks and edges (from
 * the instruction data and the exception table, never from printed text):
 * fall-through and jumps solid, exception edges dashed.
 *
 * Accessibility: every block is a focusable button (Tab, Enter or Space
 * selects it); the blocks holding the cursor's instructions carry
 * `aria-current="true"`. Colours come from the theme through CSS.
 */
import { LitElement, type PropertyValues } from 'lit';
import type { BasicBlock, LinkedInstruction } from '../../protocol/bytecode';
import { dotEscape, graphviz } from '../shared/graphviz';
import { metrics } from '../shared/metrics';

/** Instructions shown per block; the rest are counted. */
const LINES_PER_BLOCK = 24;

export interface CfgInput {
  instructions: LinkedInstruction[];
  blocks: BasicBlock[];
}

/**
 * The graph in DOT: one box per block (its instructions, left-aligned), one
 * edge per FlowEdge. Courier because Graphviz knows its metrics (0.6 em a
 * character, as most monospace fonts, which the page draws the text in).
 */
export function cfgDot(input: CfgInput): string {
  const out = [
    'digraph cfg {',
    'graph [bgcolor="transparent", nodesep=0.3, ranksep=0.35];',
    'node [shape=box, fontname="Courier", fontsize=10, margin="0.12,0.06"];',
    'edge [arrowsize=0.7];',
  ];
  input.blocks.forEach((block, b) => {
    const lines: string[] = [`block ${b}`];
    const count = block.end - block.start;
    for (let i = block.start; i < Math.min(block.end, block.start + LINES_PER_BLOCK); i++) {
      const ins = input.instructions[i]!;
      lines.push(`${String(ins.offset).padStart(4)} ${ins.opname}${ins.argrepr ? ' ' + ins.argrepr : ''}`);
    }
    if (count > LINES_PER_BLOCK) lines.push(`… ${count - LINES_PER_BLOCK} more`);
    const label = lines.map((l) => dotEscape(truncate(l, 60)) + '\\l').join('');
    const unreachable = input.instructions[block.start]?.depth === null;
    out.push(`b${b} [id="b${b}", class="block${unreachable ? ' unreachable' : ''}", label="${label}"];`);
  });
  input.blocks.forEach((block, b) => {
    for (const edge of block.edges) {
      const style = edge.kind === 'exception' ? ', style=dashed' : '';
      out.push(`b${b} -> b${edge.to} [class="${edge.kind}"${style}];`);
    }
  });
  out.push('}');
  return out.join('\n');
}

function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

export class PiCfg extends LitElement {
  static override properties = {
    input: { attribute: false },
    marked: { attribute: false },
  };

  input: CfgInput | undefined;
  /** Blocks holding the instructions that follow the cursor. */
  marked: ReadonlySet<number> = new Set();
  private laidOut: CfgInput | undefined;
  private error = '';
  private zoom = 1;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('input') && this.input !== this.laidOut) void this.layout();
    if (changed.has('marked')) this.mark();
  }

  private async layout(): Promise<void> {
    const input = this.input;
    if (!input) return;
    const host = this.ensureHost();
    metrics.mark('cfg:layout-start');
    try {
      const svg = (await graphviz()).dot(cfgDot(input), 'svg');
      if (input !== this.input) return;
      this.laidOut = input;
      this.error = '';
      // Graphviz's own SVG from our DOT (labels escaped above); nothing of the page's data is HTML.
      host.graph.innerHTML = svg;
      this.decorate(host.graph);
      this.mark();
      this.applyZoom();
      metrics.mark('cfg:layout-done');
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      host.graph.textContent = `The graph could not be laid out: ${this.error}`;
    }
  }

  private ensureHost(): { graph: HTMLElement } {
    let graph = this.querySelector<HTMLElement>('.cfg-graph');
    if (!graph) {
      const tools = document.createElement('div');
      tools.className = 'cfg-tools';
      for (const [icon, label, factor] of [
        ['zoom-in', 'Zoom in', 1.25],
        ['zoom-out', 'Zoom out', 0.8],
        ['screen-normal', 'Actual size', 0],
      ] as const) {
        const button = document.createElement('vscode-toolbar-button');
        button.setAttribute('icon', icon);
        button.setAttribute('label', label);
        button.setAttribute('title', label);
        button.addEventListener('click', () => {
          this.zoom = factor === 0 ? 1 : Math.min(4, Math.max(0.2, this.zoom * factor));
          this.applyZoom();
        });
        tools.append(button);
      }
      const legend = document.createElement('span');
      legend.className = 'cfg-legend';
      legend.textContent = 'solid: fall-through and jumps · dashed: to an exception handler';
      tools.append(legend);
      graph = document.createElement('div');
      // `graph`: base.css draws clickable Graphviz nodes and edges in theme colours.
      graph.className = 'cfg-graph graph';
      graph.addEventListener('click', (e) => this.onActivate(e));
      graph.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          this.onActivate(e, e.key === 'Enter');
        }
      });
      this.append(tools, graph);
    }
    return { graph };
  }

  private decorate(graph: HTMLElement): void {
    for (const node of graph.querySelectorAll<SVGGElement>('g.node')) {
      const b = Number(node.id.slice(1));
      const block = this.input?.blocks[b];
      node.setAttribute('tabindex', '0');
      node.setAttribute('role', 'button');
      node.dataset.block = String(b);
      if (block) {
        const first = this.input!.instructions[block.start];
        node.setAttribute('aria-label', `Block ${b}: ${block.end - block.start} instructions from offset ${first?.offset ?? '?'}`);
      }
    }
  }

  private mark(): void {
    for (const node of this.querySelectorAll<SVGGElement>('.cfg-graph g.node')) {
      const on = this.marked.has(Number(node.dataset.block));
      node.classList.toggle('current', on);
      if (on) node.setAttribute('aria-current', 'true');
      else node.removeAttribute('aria-current');
    }
    const first = this.querySelector<SVGGElement>('.cfg-graph g.node.current');
    first?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  private applyZoom(): void {
    const svg = this.querySelector<SVGSVGElement>('.cfg-graph svg');
    if (!svg) return;
    // Graphviz sizes the SVG in points; scale that size (the viewBox keeps the drawing).
    const width = svg.viewBox.baseVal?.width || svg.getBBox().width;
    const height = svg.viewBox.baseVal?.height || svg.getBBox().height;
    svg.setAttribute('width', `${width * this.zoom}px`);
    svg.setAttribute('height', `${height * this.zoom}px`);
  }

  private onActivate(e: Event, focusEditor = false): void {
    const node = (e.target as Element).closest<SVGGElement>('g.node');
    if (!node) return;
    this.dispatchEvent(new CustomEvent('block-select', { detail: { block: Number(node.dataset.block), focusEditor }, bubbles: true }));
  }
}

customElements.define('pi-cfg', PiCfg);
