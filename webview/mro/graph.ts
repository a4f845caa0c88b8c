/**
 * `<pi-mro-graph>`: the inheritance graph above a class, laid out by
 * Graphviz (the bytecode CFG's library, webview/shared/graphviz.ts): bases
 * above their subclasses, a diamond drawn as one. Each box carries its
 * position in the MRO; a base the static view cannot follow is dashed.
 *
 * Every class is a focusable button (Tab; Enter goes to its definition,
 * a click selects it in the editor); the class shown carries aria-current.
 */
import { LitElement, type PropertyValues } from 'lit';
import { classLabel, type StaticMro } from '../../protocol/mro';
import { dotEscape, graphviz } from '../shared/graphviz';
import { metrics } from '../shared/metrics';

export function mroDot(detail: StaticMro): string {
  const order = new Map(detail.mro.map((c, i) => [c.key, i + 1]));
  const ids = new Map(detail.graph.classes.map((c, i) => [c.key, `c${i}`]));
  const bases = new Map<string, number>();
  for (const e of detail.graph.edges) bases.set(e.from, (bases.get(e.from) ?? 0) + 1);
  const out = [
    'digraph mro {',
    'graph [bgcolor="transparent", rankdir=BT, nodesep=0.35, ranksep=0.3];',
    'node [shape=box, style=rounded, fontname="Helvetica", fontsize=11, height=0.3, margin="0.12,0.04"];',
    'edge [arrowsize=0.7, fontname="Helvetica", fontsize=9];',
  ];
  for (const c of detail.graph.classes) {
    const n = order.get(c.key);
    const label = `${n ? `${n}. ` : ''}${classLabel(c, detail.cls.module)}`;
    const classes = ['cls', c.key === detail.cls.key ? 'current' : '', c.unresolved ? 'unresolved' : '', n ? '' : 'outside']
      .filter(Boolean)
      .join(' ');
    out.push(
      `${ids.get(c.key)} [id="${ids.get(c.key)}", class="${classes}", label="${dotEscape(label)}"${c.unresolved ? ', style="rounded,dashed"' : ''}];`,
    );
  }
  for (const e of detail.graph.edges) {
    const label = (bases.get(e.from) ?? 0) > 1 ? `, label="${e.index + 1}"` : '';
    out.push(`${ids.get(e.from)} -> ${ids.get(e.to)} [class="base"${label}];`);
  }
  out.push('}');
  return out.join('\n');
}

export class PiMroGraph extends LitElement {
  static override properties = { detail: { attribute: false } };

  detail: StaticMro | undefined;
  private laidOut: StaticMro | undefined;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('detail') && this.detail !== this.laidOut) void this.layout();
  }

  private async layout(): Promise<void> {
    const detail = this.detail;
    if (!detail) return;
    let graph = this.querySelector<HTMLElement>('.mro-graph');
    if (!graph) {
      graph = document.createElement('div');
      // `graph`: base.css draws clickable Graphviz nodes and edges in theme colours.
      graph.className = 'mro-graph graph';
      graph.addEventListener('click', (e) => this.activate(e, false));
      graph.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          this.activate(e, e.key === 'Enter');
        }
      });
      this.append(graph);
    }
    metrics.mark('mro:layout-start');
    try {
      const svg = (await graphviz()).dot(mroDot(detail), 'svg');
      if (detail !== this.detail) return;
      this.laidOut = detail;
      // Graphviz's own SVG from our DOT (labels escaped); none of the page's data is HTML.
      graph.innerHTML = svg;
      const classes = detail.graph.classes;
      for (const node of graph.querySelectorAll<SVGGElement>('g.node')) {
        const c = classes[Number(node.id.slice(1))];
        if (!c) continue;
        node.dataset.key = c.key;
        node.setAttribute('tabindex', '0');
        node.setAttribute('role', 'button');
        node.setAttribute(
          'aria-label',
          `${classLabel(c, detail.cls.module)}${c.unresolved ? ` (not resolved statically: ${c.unresolved})` : c.uri ? ': go to its definition' : ''}`,
        );
        if (c.key === detail.cls.key) node.setAttribute('aria-current', 'true');
      }
      metrics.mark('mro:layout-done');
    } catch (err) {
      graph.textContent = `The graph could not be laid out: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  private activate(e: Event, focusEditor: boolean): void {
    const node = (e.target as Element).closest<SVGGElement>('g.node');
    const key = node?.dataset.key;
    if (!key) return;
    this.dispatchEvent(new CustomEvent('class-select', { detail: { key, focusEditor }, bubbles: true }));
  }
}

customElements.define('pi-mro-graph', PiMroGraph);
