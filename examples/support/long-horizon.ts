/**
 * What the long-horizon examples (etth1.ts, etth2.ts, ettm1.ts, exchange-rate.ts,
 * national-illness.ts) share: find the data file, run each model by the TSLib protocol with
 * `runLongHorizon`, and print MSE/MAE beside the reference figure for the same setting.
 *
 * The data come from ../shared/data/forecasting beside the checkout, or `--data PATH` (a folder
 * or the file). Without them an example prints one `note:` line and exits 0, so a fresh clone
 * can run every example. Quick mode (`--quick` or CHRONOSCALE_EXAMPLE_QUICK=1): the first
 * horizon only and at most 2 training steps, for tests.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { init, loadPanel, runLongHorizon, shutdown, type SeriesForecaster } from '../../index.ts';

/** A model of an example, with the figures to expect. */
export interface ExampleModel {
  /** How the model is shown, e.g. 'Linear L=336'. */
  label: string;
  create: (horizon: number) => SeriesForecaster;
  /** The figures to expect for this exact setting, horizon → [MSE, MAE], and where they come from. */
  reference?: { source: string; figures: Record<number, [mse: number, mae: number]> };
}

/** An example: the data set and the models to run on it. */
export interface ExampleSpec {
  dataset: string;
  /** File name inside the data folder. */
  file: string;
  horizons: readonly number[];
  models: readonly ExampleModel[];
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** True in quick mode: `--quick` or CHRONOSCALE_EXAMPLE_QUICK=1. */
export function quickMode(): boolean {
  return process.argv.includes('--quick') || process.env.CHRONOSCALE_EXAMPLE_QUICK === '1';
}

/** The data file: `--data PATH` (folder or file) or ../shared/data/forecasting beside the checkout, and how to show it. */
function dataFile(file: string): { file: string; shown: string } {
  const { values } = parseArgs({ options: { data: { type: 'string' }, quick: { type: 'boolean' } }, strict: false });
  const given = typeof values.data === 'string' ? values.data : path.resolve(repoRoot, '../shared/data/forecasting');
  const found = existsSync(given) && statSync(given).isDirectory() ? path.join(given, file) : given;
  return { file: found, shown: typeof values.data === 'string' ? found : path.relative(process.cwd(), found) };
}

/** Runs every model at every horizon (the first only in quick mode) and prints one line each. */
export async function runExample(spec: ExampleSpec): Promise<void> {
  const { file, shown } = dataFile(spec.file);
  if (!existsSync(file)) {
    console.log(`note: ${spec.dataset} skipped: ${shown} not found (pass --data with your copy)`);
    return;
  }
  const quick = quickMode();
  const horizons = quick ? spec.horizons.slice(0, 1) : spec.horizons;
  const backend = await init();
  const { panel } = await loadPanel(file);
  console.log(
    `${spec.dataset}: ${panel.series[0].time.length.toLocaleString('en-US')} steps × ${panel.channels.length} channels; TSLib protocol (train-split z-scores, every test window); ${backend.describe()}`,
  );
  for (const model of spec.models) {
    for (const horizon of horizons) {
      const result = await runLongHorizon(panel, model.create(horizon), {
        datasetName: spec.dataset,
        fit: { progress: 'silent', maxSteps: quick ? 2 : undefined },
      });
      const expected = model.reference?.figures[horizon];
      const reference = expected ? `reference ${expected[0].toFixed(3)} / ${expected[1].toFixed(3)} (${model.reference!.source})` : 'no reference figure';
      console.log(
        `  ${model.label.padEnd(14)} H=${String(horizon).padEnd(4)} MSE ${result.mse.toFixed(3)}  MAE ${result.mae.toFixed(3)}  ` +
          `(${result.testWindows} windows, ${(result.trainSeconds + result.testSeconds).toFixed(1)} s)   ${reference}`,
      );
    }
  }
  await shutdown();
}
