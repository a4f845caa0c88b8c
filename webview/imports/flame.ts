/**
 * `<pi-flame>`: the import tree as an icicle chart (d3-flame-graph): each
 * module as wide as its cumulative median time, under the module that
 * imported it. Click a module to zoom into it (and tell the page). Colours
 * come from the theme's CSS variables.
 */
import flamegraph, { type FlameNode } from 'd3-flame-graph';
import { select } from 'd3-selection';
import type { ImportTrace } from '../../protocol/runtime';

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** The trace's preorder list as nested nodes; the root is the script. */
export function flameTree(trace: ImportTrace, script: string): FlameNode {
  const nodes: FlameNode[] = trace.modules.map((m, index) => ({ name: m.name, value: m.cumulative.median, index, children: [] }));
  const root: FlameNode = { name: script, value: trace.totalUs, index: -1, children: [] };
  trace.modules.forEach((m, i) => (m.parent < 0 ? root : nodes[m.parent]!).children!.push(nodes[i]!));
  return root;
}

export class PiFlame extends HTMLElement {
  private data: FlameNode | undefined;
  private resize: ResizeObserver | undefined;
  private width = 0;

  show(data: FlameNode): void {
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
    const colours = ['--vscode-charts-blue', '--vscode-charts-purple', '--vscode-charts-green', '--vscode-charts-orange', '--vscode-charts-yellow'].map((v) => cssVar(v, '#888'));
    const chart = flamegraph()
      .width(Math.max(300, this.width))
      .cellHeight(20)
      .transitionDuration(0)
      .minFrameSize(1)
      .sort(false)
      // Its tooltip writes HTML from the data: the table says the same, safely.
      .tooltip(false)
      .inverted(false)
      .selfValue(false)
      .label((d) => `${d.data.name}: ${(d.value / 1000).toFixed(2)} ms`)
      .setColorMapper((d) => colours[d.depth % colours.length]!)
      .onClick((d) => this.dispatchEvent(new CustomEvent('module-select', { detail: { index: d.data.index as number }, bubbles: true })));
    select(this).datum(this.data).call(chart);
  }
}

customElements.define('pi-flame', PiFlame);
