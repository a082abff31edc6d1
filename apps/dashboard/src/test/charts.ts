// jsdom lays nothing out, so recharts' ResponsiveContainer measures 0 × 0 and draws nothing (with a
// warning). Given a size, charts draw their bars and axes as SVG, and a spec can read what they show.

/** Gives every chart container `width` × `height`; returns the undo, for afterAll. */
export function giveChartsASize(width = 600, height = 280): () => void {
  const measure = HTMLElement.prototype.getBoundingClientRect;
  HTMLElement.prototype.getBoundingClientRect = function (this: HTMLElement) {
    if (!this.classList.contains('recharts-responsive-container')) return measure.call(this);
    return { width, height, top: 0, left: 0, right: width, bottom: height, x: 0, y: 0, toJSON: () => ({}) };
  };
  return () => {
    HTMLElement.prototype.getBoundingClientRect = measure;
  };
}

export interface DrawnBar {
  /** The series (an outcome) the bar belongs to. */
  series: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The bars a chart drew (empty ones are not drawn), in drawing order. */
export function barsOf(chart: Element): DrawnBar[] {
  return Array.from(chart.querySelectorAll('path.recharts-rectangle')).map((bar) => ({
    series: bar.getAttribute('name') ?? '',
    x: Number(bar.getAttribute('x')),
    y: Number(bar.getAttribute('y')),
    width: Number(bar.getAttribute('width')),
    height: Number(bar.getAttribute('height')),
  }));
}

/** The labels of a chart's category axis (the days, hours or countries), in order. */
export function categoriesOf(chart: Element, axis: 'x' | 'y' = 'x'): string[] {
  return Array.from(chart.querySelectorAll(`.recharts-${axis}Axis-tick-labels .recharts-cartesian-axis-tick-value`)).map((tick) => tick.textContent ?? '');
}
