/**
 * Checks of a text table before it is parsed, for what the CSV reader would otherwise pass over
 * silently: bytes that are not text (a binary file echoed back as cell values), an empty input,
 * and records with fewer fields than the header (the reader fills the rest as missing) or more
 * (the reader drops the extra ones).
 */
import { DataError } from './data-error.ts';

/**
 * Decodes bytes as UTF-8 text, refusing input that is not text: a NUL byte (no text table holds
 * one, every binary format does early) or a byte sequence that is not UTF-8. A leading BOM is
 * dropped.
 */
export function decodeText(bytes: Uint8Array, source: string): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw notText(source, `a NUL byte at byte ${nul}`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw notText(source, 'bytes that are not UTF-8 text');
  }
}

const notText = (source: string, found: string): DataError =>
  new DataError(`not a text table (found ${found}); give a CSV, TSV, JSON or NDJSON file in UTF-8, or an Arrow IPC file`, { source });

/** Refuses an input without any non-blank character. */
export function checkNotEmpty(text: string, source: string): void {
  if (text.trim() === '') throw new DataError('the file is empty; a table needs a header line and data rows', { source });
}

/**
 * Checks that every record of delimited text has as many fields as the header line. Quoted
 * fields may hold delimiters and line breaks (RFC 4180); a record is numbered by the line it
 * starts on. Blank lines inside the table are errors too (the reader makes them rows of missing
 * values); blank lines at the end are allowed.
 */
export function checkFieldCounts(text: string, delimiter: string, source: string): void {
  const d = delimiter.charCodeAt(0);
  const QUOTE = 34;
  const LF = 10;
  const CR = 13;
  let expected = -1;
  let fields = 1;
  let record = 0; // records read, the header included
  let line = 1; // line the current record starts on
  let physical = 1; // line the scan is on
  let empty = true; // the current record has no character yet
  let quoted = false;
  let blankAt = -1; // first line of a run of blank lines, checked once a record follows
  const end = (): void => {
    if (empty && fields === 1) {
      if (blankAt < 0) blankAt = line;
      return;
    }
    if (blankAt >= 0 && expected >= 0) {
      throw new DataError(`line ${blankAt} is blank; remove it (a missing value is an empty field between delimiters)`, { source, line: blankAt });
    }
    blankAt = -1;
    if (expected < 0) expected = fields;
    else if (fields !== expected) {
      const problem = fields < expected ? 'too few fields' : 'too many fields';
      throw new DataError(`${problem}: ${fields} where the header has ${expected}; every row needs one value (or an empty field) per column`, {
        source,
        row: record,
        line,
      });
    }
    record++;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (quoted) {
      if (ch === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) i++;
        else quoted = false;
      } else if (ch === LF) physical++;
      continue;
    }
    if (ch === QUOTE) {
      quoted = true;
      empty = false;
    } else if (ch === d) {
      fields++;
      empty = false;
    } else if (ch === LF || ch === CR) {
      if (ch === CR && text.charCodeAt(i + 1) === LF) i++;
      end();
      physical++;
      line = physical;
      fields = 1;
      empty = true;
    } else empty = false;
  }
  end();
}
