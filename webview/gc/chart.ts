/**
 * `<pi-timeline>`: the collections of a run on a time axis, one series per
 * generation (uPlot, drawn on a canvas). Colours are read from the theme's
 * CSS variables when drawn, and again when the theme changes.
 */
import uPlot from 'uplot';
import type { GcCollection } from '../../protocol/runtime';

const SERIES_COLOURS = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-red',
  '--vscode-charts-purple',
  '--vscode-charts-green',
];

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** A plain custom element: uPlot owns its DOM. */
export class PiTimeline extends HTMLElement {
  private collections: GcCollection[] = [];
  private generations = 3;
  private plot: uPlot | undefined;
  private resize: ResizeObserver | undefined;
  private themeObserver: MutationObserver | undefined;

  /** Draw these collections (`generations`: how many this interpreter has). */
  show(collections: GcCollection[], generations: number): void {
    if (collections === this.collections && generations === this.generations) return;
    this.collections = collections;
    this.generations = generations;
    if (this.isConnected) this.draw();
  }

  connectedCallback(): void {
    this.resize = new ResizeObserver(() => this.plot?.setSize({ width: Math.max(200, this.clientWidth), height: 200 }));
    this.resize.observe(this);
    // VS Code changes the body's theme class: draw again in the new colours.
    this.themeObserver = new MutationObserver(() => this.draw());
    this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.draw();
  }

  disconnectedCallback(): void {
    this.resize?.disconnect();
    this.themeObserver?.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }

  private draw(): void {
    this.plot?.destroy();
    this.replaceChildren();
    const collections = [...this.collections].sort((a, b) => a.at - b.at);
    const generations = Math.max(this.generations, 1 + Math.max(-1, ...collections.map((c) => c.generation)));
    // One x per collection; each generation's series has its value there or a gap.
    const xs = collections.map((c) => c.at);
    const series = Array.from({ length: generations }, (_, g) => collections.map((c) => (c.generation === g ? c.collected : null)));
    const axis = cssVar('--vscode-descriptionForeground', '#888');
    const grid = cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', '#8884'));
    const font = `11px ${cssVar('--vscode-font-family', 'sans-serif')}`;
    this.plot = new uPlot(
      {
        width: Math.max(200, this.clientWidth),
        height: 200,
        scales: { x: { time: false } },
        legend: { show: true },
        cursor: { points: { show: true } },
        axes: [
          {
            stroke: axis,
            grid: { stroke: grid, width: 1 },
            ticks: { stroke: grid },
            font,
            label: 'ms since the script started',
            labelFont: font,
          },
          { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, font, label: 'objects collected', labelFont: font },
        ],
        series: [
          { label: 'time (ms)', value: (_u, v) => (v === null ? '' : v.toFixed(1)) },
          ...series.map((_, g) => ({
            label: `generation ${g}`,
            stroke: cssVar(SERIES_COLOURS[g % SERIES_COLOURS.length]!, '#888'),
            width: 0,
            // Points only: a collection is an event, not a level.
            paths: () => null,
            points: { show: true, size: 7, fill: cssVar(SERIES_COLOURS[g % SERIES_COLOURS.length]!, '#888') },
          })),
        ],
      },
      [xs, ...series] as uPlot.AlignedData,
      this,
    );
  }
}

customElements.define('pi-timeline', PiTimeline);
