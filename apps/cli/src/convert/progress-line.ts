/**
 * One line of progress on stderr: redrawn in place on a terminal, and on anything else (a log,
 * a pipe) written as a new line only when its words change, so that a log stays readable.
 */
export class ProgressLine {
  #lastWords = '';
  #drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  /** `pct` 0–100 draws a bar; undefined shows the words alone. */
  show(words: string, pct?: number): void {
    if (this.stream.isTTY) {
      const bar = pct === undefined ? '' : ` ${meter(pct)} ${String(Math.round(pct)).padStart(3)} %`;
      this.stream.write(`\r\x1b[2K${words}${bar}`);
      this.#drawn = true;
      return;
    }
    if (words === this.#lastWords) return;
    this.#lastWords = words;
    this.stream.write(`${words}\n`);
  }

  /** Ends the line in place, so that what follows starts on a line of its own. */
  end(): void {
    if (this.#drawn) this.stream.write('\n');
    this.#drawn = false;
  }
}

function meter(pct: number, width = 24): string {
  const filled = Math.round((Math.min(100, Math.max(0, pct)) / 100) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
