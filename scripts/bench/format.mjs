/** Number formats and a markdown table builder shared by the report's sections. */

export function ms(value) {
  if (value === undefined || Number.isNaN(value)) return '–';
  if (Math.abs(value) < 1000) return `${Math.round(value)} ms`;
  return `${(value / 1000).toFixed(Math.abs(value) < 10_000 ? 2 : 1)} s`;
}

export function mib(bytes) {
  return bytes === undefined ? '–' : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

export function ratio(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '–';
}

export function count(value) {
  return value === undefined ? '–' : Math.round(value).toLocaleString('en-US');
}

export function per(value, digits = 2) {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

export function percent(part, whole) {
  if (!(whole > 0)) return '–';
  const value = (part / whole) * 100;
  return `${Math.abs(value) < 10 ? value.toFixed(1) : Math.round(value)}%`;
}

export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
