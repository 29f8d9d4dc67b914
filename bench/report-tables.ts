// Folds the printed output of several runs of one suite into one: lines that agree stay; in
// markdown table rows, every number becomes the median over the runs, followed by (min–max) when
// the runs differ; a cell whose wording changed between runs lists every run's text.

const NUMBER = /-?\d[\d,]*(?:\.\d+)?/g;
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function format(value: number, like: string): string {
  const decimals = like.includes('.') ? like.length - like.indexOf('.') - 1 : 0;
  return like.includes(',') ? value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }) : value.toFixed(decimals);
}

function foldCell(cells: readonly string[]): string {
  if (cells.every((c) => c === cells[0])) return cells[0]!;
  const skeletons = cells.map((c) => c.replace(NUMBER, '#'));
  if (!skeletons.every((s) => s === skeletons[0])) return cells.map((c) => c.trim()).join(' · ');
  const numbers = cells.map((c) => c.match(NUMBER)!.map((x) => Number(x.replaceAll(',', ''))));
  const like = cells[0]!.match(NUMBER)!;
  let k = 0;
  const folded = cells[0]!.replace(NUMBER, () => {
    const at = k++;
    return format(median(numbers.map((ns) => ns[at]!)), like[at]!);
  });
  if (like.length !== 1) return folded;
  const all = numbers.map((ns) => ns[0]!);
  const [low, high] = [Math.min(...all), Math.max(...all)];
  return low === high ? folded : `${folded.trimEnd()} (${format(low, like[0]!)}–${format(high, like[0]!)}) `;
}

/** The runs' outputs as one text (the outputs of runs that printed different lines are kept whole). */
export function foldOutputs(outputs: readonly string[]): string {
  if (outputs.length === 1) return outputs[0]!;
  const split = outputs.map((o) => o.trimEnd().split('\n'));
  if (!split.every((lines) => lines.length === split[0]!.length)) {
    return outputs.map((o, i) => `Run ${i + 1} (the runs printed different lines):\n\n${o.trimEnd()}`).join('\n\n');
  }
  return split[0]!
    .map((_, i) => {
      const lines = split.map((l) => l[i]!);
      if (lines.every((l) => l === lines[0])) return lines[0];
      const rows = lines.map((l) => l.split('|'));
      const isRow = lines.every((l) => l.startsWith('|')) && rows.every((r) => r.length === rows[0]!.length);
      if (!isRow) return lines[lines.length >> 1];
      return rows[0]!.map((_, c) => foldCell(rows.map((r) => r[c]!))).join('|');
    })
    .join('\n');
}
