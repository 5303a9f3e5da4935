/**
 * Argument parsing shared by the commands: node's parseArgs, and checks of flag values, with
 * errors a user can act on. A UsageError carries the failing command's own usage text, so the
 * message is followed by the options that command takes, not the list of every command.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad command-line arguments: reported with the command's synopsis and exit status 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The usage text of the command that refused its arguments (default: the command list). */
    readonly usage?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** What parseCommandArgs returns: node's parseArgs result for `options` plus `--help`, named so the build can declare it. */
export type ParsedCommand<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O & { help: { type: 'boolean'; short: 'h' } }; allowPositionals: true; strict: true }>
>;

/**
 * Parses `argv` against `options` (plus `--help`); unknown flags, missing values and stray
 * positional arguments become UsageErrors carrying `usage`. Commands that take positionals
 * (a subcommand name) pass `positionals: true`.
 */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, usage?: string, config: { positionals?: boolean } = {}): ParsedCommand<O> {
  let parsed: ParsedCommand<O>;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(plainMessage((error as Error).message), usage);
  }
  if (!config.positionals && parsed.positionals.length > 0 && !(parsed.values as { help?: boolean }).help) {
    const [first] = parsed.positionals;
    throw new UsageError(`unexpected argument '${first}'${first.includes('.') ? ` (did you mean --data ${first}?)` : ''}`, usage);
  }
  return parsed;
}

/** node's parseArgs messages, shortened to what the user needs to know. */
function plainMessage(message: string): string {
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option '${unknown[1]}'`;
  const missing = /^Option '(-\S+)(?: <value>)?' argument missing/.exec(message);
  if (missing) return `${missing[1].replace(/^-\w, /, '')} needs a value`;
  const ambiguous = /^Option '(-\S+)' argument is ambiguous/.exec(message);
  if (ambiguous) return `${ambiguous[1]} needs a value (write a value that starts with '-' as ${ambiguous[1]}=-1)`;
  return message;
}

/** Checks of flag values; each throws a UsageError naming the flag and what it accepts. */
export class FlagReader {
  constructor(readonly usage?: string) {}

  fail(message: string): never {
    throw new UsageError(message, this.usage);
  }

  /** A whole number ≥ `min` (default 1), or undefined when the flag is absent. */
  integer(flag: string, value: string | undefined, min = 1): number | undefined {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (value.trim() === '' || !Number.isSafeInteger(n) || n < min) this.fail(`--${flag} ${value} is not a whole number ≥ ${min}`);
    return n;
  }

  /** Like `integer`, but the flag must be given. */
  requiredInteger(flag: string, value: string | undefined, min = 1): number {
    if (value === undefined) this.fail(`--${flag} is required`);
    return this.integer(flag, value, min)!;
  }

  /** Comma-separated (or repeated) values, e.g. `--level 80,90`, each a number strictly inside (low, high). */
  numberList(flag: string, values: string | readonly string[] | undefined, [low, high]: readonly [number, number]): number[] | undefined {
    if (values === undefined) return undefined;
    return this.list(values).map((item) => {
      const n = Number(item);
      if (item === '' || !Number.isFinite(n) || n <= low || n >= high) this.fail(`--${flag} ${item} is not a number between ${low} and ${high}`);
      return n;
    });
  }

  /** One of `choices`, or undefined when absent. */
  choice<T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    if (!(choices as readonly string[]).includes(value)) this.fail(`--${flag} ${value} is not one of ${choices.join(', ')}`);
    return value as T;
  }

  /** Repeated flags and comma-separated lists, flattened and trimmed: `--model a,b --model c` → [a, b, c]. */
  list(values: string | readonly string[]): string[] {
    return (typeof values === 'string' ? [values] : values).flatMap((v) => v.split(',')).map((v) => v.trim());
  }
}
