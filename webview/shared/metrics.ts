/**
 * Timestamps a panel records for the benchmark and the browser tests
 * (request sent, data received, first paint, cursor marked). Read from the
 * page as `window.__pythonInternalsMetrics`; nothing leaves the page.
 */
const marks: Array<{ name: string; t: number }> = [];

export const metrics = {
  mark(name: string): void {
    marks.push({ name, t: performance.now() });
    if (marks.length > 1000) marks.splice(0, marks.length - 1000);
  },
};

(window as unknown as { __pythonInternalsMetrics: typeof marks }).__pythonInternalsMetrics = marks;
