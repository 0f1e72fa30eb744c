import { createCanvas } from '@napi-rs/canvas';
import type { KnowledgeStats } from './knowledge-log.ts';

const WIDTH = 800;
const HEIGHT = 360;
const MARGIN = { top: 40, right: 56, bottom: 48, left: 56 };
const COLORS = { background: '#ffffff', grid: '#e3e5e8', text: '#313338', bars: '#5865f2', line: '#23a55a' };

/**
 * A PNG chart of `/stats`: questions per day as bars (left axis) and the share answered as a line (right axis,
 * 0-100 %; days without questions leave a gap). Drawn with @napi-rs/canvas (Skia, prebuilt binary in its
 * platform package); text uses whatever sans-serif font the host has.
 */
export function renderStatsChart(stats: Pick<KnowledgeStats, 'perDay' | 'days'>): Buffer {
  const canvas = createCanvas(WIDTH, HEIGHT);
  const context = canvas.getContext('2d');
  context.fillStyle = COLORS.background;
  context.fillRect(0, 0, WIDTH, HEIGHT);

  const days = stats.perDay;
  const plot = { x: MARGIN.left, y: MARGIN.top, width: WIDTH - MARGIN.left - MARGIN.right, height: HEIGHT - MARGIN.top - MARGIN.bottom };
  const most = Math.max(1, ...days.map((day) => day.questions));
  // Four gridlines at round numbers: the step is 1, 2 or 5 × 10^n.
  const scale = niceCeiling(most / 4) * 4;
  const slot = plot.width / Math.max(1, days.length);

  context.font = '12px sans-serif';
  context.fillStyle = COLORS.text;
  context.fillText(`Questions per day (bars) and share answered (line), last ${stats.days} days`, MARGIN.left, 22);

  for (let step = 0; step <= 4; step += 1) {
    const y = plot.y + plot.height - (plot.height * step) / 4;
    context.strokeStyle = COLORS.grid;
    context.beginPath();
    context.moveTo(plot.x, y);
    context.lineTo(plot.x + plot.width, y);
    context.stroke();
    context.fillStyle = COLORS.text;
    context.textAlign = 'right';
    context.fillText(String(Math.round((scale * step) / 4)), plot.x - 6, y + 4);
    context.textAlign = 'left';
    context.fillText(`${step * 25}%`, plot.x + plot.width + 6, y + 4);
  }

  context.fillStyle = COLORS.bars;
  days.forEach((day, index) => {
    const height = (plot.height * day.questions) / scale;
    context.fillRect(plot.x + index * slot + slot * 0.15, plot.y + plot.height - height, Math.max(1, slot * 0.7), height);
  });

  context.strokeStyle = COLORS.line;
  context.lineWidth = 2;
  context.beginPath();
  let drawing = false;
  days.forEach((day, index) => {
    if (day.questions === 0) {
      drawing = false;
      return;
    }
    const x = plot.x + index * slot + slot / 2;
    const y = plot.y + plot.height - (plot.height * day.answered) / day.questions;
    if (drawing) context.lineTo(x, y);
    else context.moveTo(x, y);
    drawing = true;
  });
  context.stroke();

  context.fillStyle = COLORS.text;
  context.textAlign = 'center';
  const labelEvery = Math.max(1, Math.ceil(days.length / 8));
  days.forEach((day, index) => {
    if (index % labelEvery === 0) context.fillText(day.day.slice(5), plot.x + index * slot + slot / 2, plot.y + plot.height + 18);
  });
  return canvas.toBuffer('image/png');
}

/** 1, 2, 5 × 10^n at or above `value`: axis labels a reader can take in. */
function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const nice = [1, 2, 5, 10].find((factor) => factor * power >= value)!;
  return nice * power;
}
