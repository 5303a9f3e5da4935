/**
 * The plots the commands write, from the API's results: one series (the first, or the one
 * named) and one channel of it, since a chart of every series and channel would be unreadable.
 */
import {
  backtestSpec,
  forecastSpec,
  renderSvg,
  scalesSpec,
  type CrossValidationResult,
  type ForecastResult,
  type PlotForecast,
  type Series,
} from '../index.ts';

/** What to draw of the results. */
export interface PlotChoice {
  /** Series index in the panel (default 0). */
  series?: number;
  /** Channel index (default 0). */
  channel?: number;
  title?: string;
  /** History steps drawn before the forecast (default: the plot's own, 3 horizons). */
  historySteps?: number;
}

/** Every model's forecast of one series. */
function forecastsOf(result: ForecastResult, id: string): PlotForecast[] {
  return result.models.map((model) => ({ model, forecast: result.get(model, id) }));
}

/** The end of the history and every model's forecast, as SVG. */
export function forecastSvg(result: ForecastResult, choice: PlotChoice = {}): Promise<string> {
  const { series: s = 0, channel = 0 } = choice;
  const history = result.history.series[s];
  return renderSvg(
    forecastSpec({
      history,
      forecasts: forecastsOf(result, history.id),
      channel,
      valueTitle: result.history.channels[channel],
      title: choice.title ?? `Forecast of '${history.id}'`,
      historySteps: choice.historySteps,
    }),
  );
}

/** One model's forecast of one series at coarse-to-fine resolutions, as SVG. */
export function scalesSvg(result: ForecastResult, model: string, choice: PlotChoice = {}): Promise<string> {
  const { series: s = 0, channel = 0 } = choice;
  const history: Series = result.history.series[s];
  return renderSvg(
    scalesSpec({
      forecast: { model, forecast: result.get(model, history.id) },
      history,
      channel,
      valueTitle: result.history.channels[channel],
      title: choice.title,
    }),
  );
}

/** Every window of a backtest of one series, as SVG. */
export function backtestSvg(cv: CrossValidationResult, choice: PlotChoice = {}): Promise<string> {
  const { series: s = 0, channel = 0 } = choice;
  const series = cv.panel.series[s];
  return renderSvg(
    backtestSpec({
      series,
      windows: cv.windows.map((window) => ({
        cutoff: window.cutoffs[s],
        forecasts: [...window.forecasts].map(([model, forecasts]) => ({ model, forecast: forecasts[s] })),
      })),
      channel,
      valueTitle: cv.panel.channels[channel],
      title: choice.title,
      contextSteps: choice.historySteps,
    }),
  );
}
