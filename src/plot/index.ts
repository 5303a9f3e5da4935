/**
 * Plots for forecasts: Vega-Lite specs as plain objects (forecast, multi-resolution scales,
 * backtest), rendering to SVG in Node, and self-contained HTML reports.
 */
export type { PlotForecast } from './data.ts';
export { forecastSpec, type ForecastSpecOptions } from './forecast-spec.ts';
export { scalesSpec, type ScalesSpecOptions } from './scales-spec.ts';
export { backtestSpec, type BacktestSpecOptions, type BacktestWindow } from './backtest-spec.ts';
export { renderSvg, compileSpec, type CompiledSpec, type PlotSpec } from './render.ts';
export { writeReport, reportHtml, type Report, type ReportSection, type ReportTable } from './report.ts';
