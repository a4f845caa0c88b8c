/** The part of d3-flame-graph's API the import trace uses (the package ships no types). */
declare module 'd3-flame-graph' {
  export interface FlameNode {
    name: string;
    value: number;
    children?: FlameNode[];
    [key: string]: unknown;
  }
  export interface FlameChart {
    (selection: unknown): void;
    width(w: number): FlameChart;
    cellHeight(h: number): FlameChart;
    transitionDuration(ms: number): FlameChart;
    minFrameSize(px: number): FlameChart;
    sort(on: boolean): FlameChart;
    tooltip(on: boolean): FlameChart;
    inverted(on: boolean): FlameChart;
    selfValue(on: boolean): FlameChart;
    title(text: string): FlameChart;
    onClick(handler: (d: { data: FlameNode }) => void): FlameChart;
    setColorMapper(mapper: (d: { data: FlameNode; depth: number }, original: string) => string): FlameChart;
    label(handler: (d: { data: FlameNode; value: number }) => string): FlameChart;
    resetZoom(): void;
  }
  export default function flamegraph(): FlameChart;
}

declare module 'd3-timer' {
  /** Runs every timer whose time has come, now. */
  export function timerFlush(): void;
}
