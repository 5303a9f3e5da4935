/**
 * A self-contained HTML report: headings, text, metric tables and inline SVG plots, with inline
 * CSS and no scripts or external references, so it opens offline and can be attached or archived
 * as one file.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { formatNumber } from '../diagnostics/table.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';

/** A table as rows of named cells (e.g. `metricTable` rows); columns in first-seen order. */
export type ReportTable = readonly Readonly<Record<string, string | number>>[];

export interface ReportSection {
  heading: string;
  /** Plain text; blank lines separate paragraphs. */
  text?: string;
  /** An SVG document, e.g. from `renderSvg`. */
  svg?: string;
  table?: ReportTable;
}

export interface Report {
  title: string;
  sections: readonly ReportSection[];
}

const CSS = `
body { font: 14px/1.45 Helvetica, Arial, sans-serif; color: #222; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 0.8rem 0; font-variant-numeric: tabular-nums; }
th, td { padding: 0.25rem 0.7rem; border-bottom: 1px solid #e4e4e4; }
th { text-align: left; border-bottom: 2px solid #bbb; }
td.number { text-align: right; }
.generated { color: #777; font-size: 0.85rem; }
`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function tableHtml(rows: ReportTable): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: string | number | undefined) =>
    typeof value === 'number' ? `<td class="number">${escapeHtml(formatNumber(value))}</td>` : `<td>${escapeHtml(value ?? '')}</td>`;
  return [
    '<table>',
    `<thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.map((row) => `<tr>${columns.map((c) => cell(row[c])).join('')}</tr>`).join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

/**
 * An SVG document as inline HTML: the XML prolog goes, and so do the namespace declarations,
 * which HTML5 implies for inline <svg> (they are the only URLs in Vega's output).
 */
function inlineSvg(svg: string): string {
  // Checked inside tags only: text content has its '<' escaped, so titles cannot trip this.
  if (/<script|<foreignObject|<[^>]*\son[a-z]+\s*=/i.test(svg)) throw new Error('writeReport: an SVG with scripts or event handlers');
  if (/<[^>]*\s(?:[\w:]*href|src)\s*=\s*["'](?!#|data:)/i.test(svg)) throw new Error('writeReport: an SVG that references an external resource');
  return svg
    .replace(/<\?xml[^>]*\?>\s*/, '')
    .replace(/<!DOCTYPE[^>]*>\s*/i, '')
    .replace(/\s+xmlns(?::\w+)?="[^"]*"/g, '');
}

/** The report as one HTML document. */
export function reportHtml(report: Report): string {
  const sections = report.sections.map((section) => {
    const parts = [`<section>`, `<h2>${escapeHtml(section.heading)}</h2>`];
    if (section.text) for (const paragraph of section.text.split(/\n\s*\n/)) parts.push(`<p>${escapeHtml(paragraph.trim())}</p>`);
    if (section.table && section.table.length > 0) parts.push(tableHtml(section.table));
    if (section.svg) parts.push(`<figure>${inlineSvg(section.svg)}</figure>`);
    parts.push('</section>');
    return parts.join('\n');
  });
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(report.title)}</h1>`,
    `<p class="generated">Generated ${escapeHtml(new Date().toISOString())} by chronoscale.</p>`,
    ...sections,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Writes the report to `path` (atomically, creating its folder) as self-contained HTML. */
export async function writeReport(path: string, report: Report): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, [new TextEncoder().encode(reportHtml(report))]);
}
