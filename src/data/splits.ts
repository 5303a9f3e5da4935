/**
 * Train/validation/test splits by the standard long-horizon protocols of Time-Series-Library
 * (`data_provider/data_loader.py`; identical in Time-MoE's `benchmark_dataset.py`).
 *
 * - `ETTh`: 12/4/4 months of 30 days: train [0, 8640), val [8640 − L, 11520), test
 *   [11520 − L, 14400); rows from 14,400 on are never used.
 * - `ETTm`: the same borders × 4 (15-minute rows).
 * - `ratio` (TSLib's Dataset_Custom: Weather, Exchange, ILI, ECL, Traffic):
 *   num_train = ⌊0.7 N⌋, num_test = ⌊0.2 N⌋, num_val = N − num_train − num_test;
 *   train [0, num_train), val [num_train − L, num_train + num_val), test [N − num_test − L, N).
 *   Other fractions than 0.7 and 0.2 may be given (`ratios`), computed the same way.
 *
 * Val and test reach back by the lookback L so their first window's context is history, and
 * their target windows do not depend on L. The scaler is fit on the train range.
 */
import { match } from 'ts-pattern';
import type { Panel, Series } from './types.ts';

export type SplitProtocol = 'ETTh' | 'ETTm' | 'ratio';

/** A half-open row range [start, end). */
export type RowRange = readonly [start: number, end: number];

export interface SplitRanges {
  protocol: SplitProtocol;
  /** The lookback the val/test ranges reach back by. */
  lookback: number;
  train: RowRange;
  val: RowRange;
  test: RowRange;
}

/**
 * Fractions of the rows that the `ratio` protocol gives to training and test; validation gets
 * the rows left between them.
 */
export interface SplitRatios {
  train: number;
  test: number;
}

/** Time-Series-Library's 7:1:2 (Dataset_Custom). */
export const tslibRatios: Readonly<SplitRatios> = { train: 0.7, test: 0.2 };

const ETTH_MONTH = 30 * 24;

/** The protocol TSLib uses for a data set name: ETTh1/ETTh2 → ETTh, ETTm1/ETTm2 → ETTm, others → ratio. */
export function protocolFor(datasetName: string): SplitProtocol {
  // Accept paths and file names: '…/ETTm1.csv.gz' → 'ETTm1'.
  const base = datasetName.split(/[\\/]/).pop()!.replace(/\..*$/, '');
  if (/^ETTh\d*$/i.test(base)) return 'ETTh';
  if (/^ETTm\d*$/i.test(base)) return 'ETTm';
  return 'ratio';
}

/**
 * The split borders for a series of `length` rows and lookback L (`ratios` only for the ratio
 * protocol; default 7:1:2). Throws a RangeError when the series is shorter than the protocol
 * needs or L reaches before row 0 (TSLib would silently index from the end there).
 */
export function splitRanges(length: number, options: { protocol: SplitProtocol; lookback: number; ratios?: SplitRatios }): SplitRanges {
  const { protocol, lookback, ratios = tslibRatios } = options;
  if (!Number.isInteger(lookback) || lookback < 0) throw new RangeError(`splitRanges: lookback must be a non-negative integer, got ${lookback}`);
  if (options.ratios !== undefined && protocol !== 'ratio') throw new RangeError(`splitRanges: ratios apply to the ratio protocol, not ${protocol}`);
  if (!(ratios.train > 0 && ratios.test > 0 && ratios.train + ratios.test < 1)) {
    throw new RangeError(
      `splitRanges: ratios need train > 0, test > 0 and train + test < 1 (validation gets the rest), got train ${ratios.train}, test ${ratios.test}`,
    );
  }
  const [trainEnd, valEnd, testEnd] = match(protocol)
    .with('ETTh', () => [12 * ETTH_MONTH, 16 * ETTH_MONTH, 20 * ETTH_MONTH])
    .with('ETTm', () => [12 * ETTH_MONTH * 4, 16 * ETTH_MONTH * 4, 20 * ETTH_MONTH * 4])
    .with('ratio', () => {
      // As TSLib: int(len * 0.7), int(len * 0.2); the product is written the same way so 7:1:2 borders are TSLib's to the row.
      const numTrain = Math.floor(ratios.train * length);
      const numTest = Math.floor(ratios.test * length);
      return [numTrain, length - numTest, length];
    })
    .exhaustive();
  if (length < testEnd) throw new RangeError(`splitRanges: the ${protocol} protocol needs ${testEnd} rows, the series has ${length}`);
  if (trainEnd - lookback < 0) throw new RangeError(`splitRanges: lookback ${lookback} is longer than the ${trainEnd} training rows`);
  return {
    protocol,
    lookback,
    train: [0, trainEnd],
    val: [trainEnd - lookback, valEnd],
    test: [valEnd - lookback, testEnd],
  };
}

/** Rows [start, end) of a series (views on its arrays, not copies). */
export function sliceSeries(series: Series, channels: number, [start, end]: RowRange): Series {
  const length = series.time.length;
  if (!(0 <= start && start <= end && end <= length))
    throw new RangeError(`sliceSeries: range [${start}, ${end}) outside series "${series.id}" of ${length} rows`);
  return {
    id: series.id,
    time: series.time.subarray(start, end),
    values: series.values.subarray(start * channels, end * channels),
    mask: series.mask.subarray(start * channels, end * channels),
  };
}

/** A panel cut into train, val and test panels, each series by its own length, and the ranges used. */
export interface PanelSplits {
  train: Panel;
  val: Panel;
  test: Panel;
  /** Ranges of each series, in panel order. */
  ranges: SplitRanges[];
}

/**
 * Splits every series of a panel by a protocol (given, or chosen from `datasetName` by
 * protocolFor), with `ratios` for the ratio protocol. Series keep their ids, so per-series scalers fit on train apply to val/test.
 */
export function splitPanel(panel: Panel, options: { lookback: number; protocol?: SplitProtocol; datasetName?: string; ratios?: SplitRatios }): PanelSplits {
  const protocol = options.protocol ?? (options.datasetName !== undefined ? protocolFor(options.datasetName) : 'ratio');
  const c = panel.channels.length;
  const ranges = panel.series.map((s) => splitRanges(s.time.length, { protocol, lookback: options.lookback, ratios: options.ratios }));
  const part = (key: 'train' | 'val' | 'test'): Panel => ({ ...panel, series: panel.series.map((s, i) => sliceSeries(s, c, ranges[i][key])) });
  return { train: part('train'), val: part('val'), test: part('test'), ranges };
}
