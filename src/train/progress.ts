/**
 * Progress output, driven by the trainer's events. A terminal gets one bar redrawn in place with
 * `\r` (at most ten times a second); anything else gets one structured `key=value` line per
 * `logEvery` steps, which logs and CI keep readable:
 *
 *   step=200/1000 epoch=3/10 loss=0.1234 lr=1.0e-3 steps/s=12.3 eta=65s
 *
 * `loss` on a line is the mean over the steps since the previous line; the bar shows a
 * moving average. Totals appear only when known (never "Epoch 3/-2"); the epoch is shown 1-based.
 * 'silent' writes nothing.
 */
import type { ProgressMode, ProgressOutput, TrainEvent } from './types.ts';

export interface ProgressOptions {
  mode: ProgressMode;
  output: ProgressOutput;
  logEvery: number | undefined;
  maxSteps: number;
  maxEpochs: number;
  /** Batches per epoch once known (an array of batches, or after the first epoch). */
  epochLength: () => number | null;
}

const BAR_WIDTH = 20;
const REDRAW_MS = 100;

/** 4 significant digits, exponent form outside [1e-3, 1e4). */
export function formatValue(x: number): string {
  const a = Math.abs(x);
  return a === 0 || (a >= 1e-3 && a < 1e4) ? x.toPrecision(4) : x.toExponential(3);
}

/** Learning rates as `1.0e-3`. */
export function formatLr(x: number): string {
  return x.toExponential(1);
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const r = Math.round(s);
  if (r < 100) return `${r}s`;
  if (r < 3600) return `${Math.floor(r / 60)}m${String(r % 60).padStart(2, '0')}s`;
  return `${Math.floor(r / 3600)}h${String(Math.floor((r % 3600) / 60)).padStart(2, '0')}m`;
}

function formatRate(rate: number): string {
  return !Number.isFinite(rate) ? '?' : rate >= 100 ? rate.toFixed(0) : rate.toPrecision(3);
}

/** Returns the event handler that writes progress, or null for 'silent'. */
export function createProgress(options: ProgressOptions): ((event: TrainEvent) => void) | null {
  const { output, maxSteps, maxEpochs } = options;
  if (options.mode === 'silent') return null;
  const bar = options.mode === 'bar' || (options.mode === 'auto' && output.isTTY === true);

  let started = 0;
  let startStep = 0;
  let logEvery = options.logEvery ?? 100;
  let intervalSum = 0;
  let intervalCount = 0;
  let average = 0;
  let smoothed = NaN;
  let lastDraw = -Infinity;
  let barVisible = false;

  const totalSteps = (): number | null => {
    const length = options.epochLength();
    const byEpochs = Number.isFinite(maxEpochs) && length !== null ? maxEpochs * length : Infinity;
    const total = Math.min(maxSteps, byEpochs);
    return Number.isFinite(total) ? total : null;
  };
  const where = (step: number, epoch: number): string => {
    const total = totalSteps();
    return `step=${step}${total === null ? '' : `/${total}`} epoch=${epoch + 1}${Number.isFinite(maxEpochs) ? `/${maxEpochs}` : ''}`;
  };
  const rateAndEta = (step: number): { rate: number; eta: number } => {
    const rate = (step - startStep) / ((performance.now() - started) / 1000);
    const total = totalSteps();
    return { rate, eta: total === null ? NaN : (total - step) / rate };
  };
  const line = (text: string) => {
    if (barVisible) output.write('\r\x1b[K');
    output.write(`${text}\n`);
    barVisible = false;
    lastDraw = -Infinity; // the bar comes back at the next step
  };
  const drawBar = (step: number, epoch: number, lr: number) => {
    const total = totalSteps();
    const { rate, eta } = rateAndEta(step);
    let head = `step ${step}`;
    if (total !== null) {
      const filled = Math.round((BAR_WIDTH * Math.min(step, total)) / total);
      head = `${String(Math.floor((100 * step) / total)).padStart(3)}% [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${step}/${total}`;
    }
    const epochs = Number.isFinite(maxEpochs) ? `/${maxEpochs}` : '';
    let text = `${head} epoch ${epoch + 1}${epochs} loss ${formatValue(smoothed)} lr ${formatLr(lr)} ${formatRate(rate)} steps/s eta ${formatSeconds(eta)}`;
    const columns = output.columns ?? 0;
    if (columns > 1 && text.length > columns - 1) text = text.slice(0, columns - 1);
    output.write(`\r${text}\x1b[K`);
    barVisible = true;
    lastDraw = performance.now();
  };

  return (event) => {
    switch (event.kind) {
      case 'start': {
        started = performance.now();
        startStep = event.step;
        const total = totalSteps();
        if (options.logEvery === undefined && total !== null) logEvery = Math.max(1, Math.ceil(total / 10));
        for (const s of event.skippedCheckpoints) line(`skipped damaged checkpoint ${s.path} (${s.reason}), renamed to ${s.movedTo}`);
        if (event.resumedFrom) line(`resumed from=${event.resumedFrom} step=${event.step} epoch=${event.epoch + 1}`);
        return;
      }
      case 'step': {
        intervalSum += event.loss;
        intervalCount++;
        // Exponential average debiased as Adam's moments, so the first value is the loss itself.
        average = 0.9 * average + 0.1 * event.loss;
        smoothed = average / (1 - 0.9 ** (event.step - startStep));
        const last = event.step === totalSteps();
        if (bar) {
          if (last || performance.now() - lastDraw >= REDRAW_MS) drawBar(event.step, event.epoch, event.lr);
        } else if (event.step % logEvery === 0 || last) {
          const { rate, eta } = rateAndEta(event.step);
          const etaText = Number.isNaN(eta) ? '' : ` eta=${formatSeconds(eta)}`;
          line(
            `${where(event.step, event.epoch)} loss=${formatValue(intervalSum / intervalCount)} lr=${formatLr(event.lr)} steps/s=${formatRate(rate)}${etaText}`,
          );
          intervalSum = 0;
          intervalCount = 0;
        }
        return;
      }
      case 'evaluation':
        line(`${where(event.step, event.epoch)} validation=${formatValue(event.loss)} best=${formatValue(event.best)}`);
        return;
      case 'earlyStop':
        line(`early stopping at step=${event.step}: best validation=${formatValue(event.bestValidation)} at step=${event.bestStep}`);
        return;
      case 'end': {
        const r = event.result;
        if (barVisible) output.write('\n');
        barVisible = false;
        const best = r.bestValidation === null ? '' : ` best_validation=${formatValue(r.bestValidation)}`;
        line(`done stopped_by=${r.stoppedBy} steps=${r.steps} epochs=${r.epochs}${best} seconds=${r.seconds.toFixed(1)}`);
        return;
      }
      default:
        return;
    }
  };
}
