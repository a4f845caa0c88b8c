/**
 * `<pi-flame>`: the import tree as an icicle chart (d3-flame-graph): each
 * module as wide as its own time and its imports' (self-time medians), under
 * the module that imported it. Click a module to zoom into it (and tell the page). Colours
 * come from the theme's CSS variables.
 */
import flamegraph, { type FlameNode } from 'd3-flame-graph';
import { select } from 'd3-selection';
import { timerFlush } from 'd3-timer';
import type { ImportTrace } from '../../protocol/runtime';

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/**
 * The trace's preorder list as nested nodes; the root is the script. Each
 * node's value is its self-time median and the chart adds its children's
 * (selfValue): medians of cumulative times, taken per module over the runs,
 * need not add up, and a child wider than its parent would break the layout.
 */
export function flameTree(trace: ImportTrace, script: string): FlameNode {
  const nodes: FlameNode[] = trace.modules.map((m, index) => ({ name: m.name, value: m.self.median, index, children: [] }));
  const root: FlameNode = { name: script, value: 0, index: -1, children: [] };
  trace.modules.forEach((m, i) => (m.parent < 0 ? root : nodes[m.parent]!).children!.push(nodes[i]!));
  return root;
}

export class PiFlame extends HTMLElement {
  /** Builds the tree afresh for each drawing: the chart writes its layout into the data it is given. */
  private data: (() => FlameNode) | undefined;
  private resize: ResizeObserver | undefined;
  private width = 0;

  show(data: () => FlameNode): void {
    this.data = data;
    if (this.isConnected) this.draw();
  }

  connectedCallback(): void {
    this.resize = new ResizeObserver(() => {
      if (Math.abs(this.clientWidth - this.width) > 4) this.draw();
    });
    this.resize.observe(this);
  }

  disconnectedCallback(): void {
    this.resize?.disconnect();
  }

  private draw(): void {
    if (!this.data) return;
    this.width = this.clientWidth;
    this.replaceChildren();
    const colours = [
      '--vscode-charts-blue',
      '--vscode-charts-purple',
      '--vscode-charts-green',
      '--vscode-charts-orange',
      '--vscode-charts-yellow',
    ].map((v) => cssVar(v, '#888'));
    const chart = flamegraph()
      .width(Math.max(300, this.width))
      .cellHeight(20)
      .transitionDuration(0)
      .minFrameSize(1)
      .sort(false)
      // Its tooltip writes HTML from the data: the table says the same, safely.
      .tooltip(false)
      .inverted(false)
      .selfValue(true)
      .label((d) => `${d.data.name}: ${(d.value / 1000).toFixed(2)} ms`)
      .setColorMapper((d) => colours[d.depth % colours.length]!)
      .onClick((d) => this.dispatchEvent(new CustomEvent('module-select', { detail: { index: d.data.index as number }, bubbles: true })));
    select(this).datum(this.data()).call(chart);
    // The chart grows new frames to their width by a 250 ms transition: set each frame's
    // width at once (its group already has it), then start the transitions, which find
    // nothing left to animate.
    for (const g of this.querySelectorAll('g.frame')) g.querySelector('rect')?.setAttribute('width', g.getAttribute('width') ?? '0');
    timerFlush();
  }
}

customElements.define('pi-flame', PiFlame);
