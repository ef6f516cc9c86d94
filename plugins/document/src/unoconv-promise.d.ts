/**
 * The part of unoconv-promise (1.0.8, CommonJS, no types of its own) this plugin uses.
 * Each option becomes one unoconv command-line flag (see its src/util.js).
 */
declare module 'unoconv-promise' {
  export interface UnoconvOptions {
    /** The input file, appended as the last argument. */
    file?: string;
    /** Path of the unoconv script; with it, `python` runs the script (`python unoconv …`). */
    unoconv?: string;
    python?: string;
    /** The unoconv executable, when not run through `python`. */
    bin?: string;
    /** `-c`: the UNO connection string of the listener. */
    connection?: string;
    /** `-d`: document, spreadsheet, presentation or graphics. */
    doctype?: string;
    /** `-e`: one export filter option, `Name=value`. */
    export?: string;
    /** `-f`: the output format, by unoconv's name. */
    format?: string;
    /** `-i`: one import filter option, `Name=value`. */
    import?: string;
    /** `-o`: the output file; unoconv swaps its extension for the format's own. */
    output?: string;
    /** `-T`: seconds unoconv waits for a listener it launched itself. */
    timeout?: number;
    /** `--no-launch`: fail instead of starting an office of its own when no listener answers. */
    'no-launch'?: boolean;
    stdout?: boolean;
    string?: boolean;
    verbose?: boolean;
    listener?: boolean;
  }

  /** A listener-starting child process (`unoconv --listener`). */
  export interface UnoconvListenerProcess {
    pid?: number;
    kill(signal?: NodeJS.Signals | number): boolean;
  }

  export interface Unoconv {
    /**
     * Runs unoconv once. Resolves with `options.output` (or stdout) when the process exits;
     * rejects with an Error carrying unoconv's stderr whenever it wrote anything there.
     */
    run(options: UnoconvOptions): Promise<Buffer | string>;
    /** Spawns `unoconv --listener` and returns the child process. */
    listen(options?: UnoconvOptions): UnoconvListenerProcess;
  }

  const unoconv: Unoconv;
  export default unoconv;
}
