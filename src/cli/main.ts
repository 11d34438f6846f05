/**
 * The `intuned-gitops` command line: reads argv, builds each command's options, runs it and
 * maps errors to exit codes in one place. Each command's code is imported only when that command
 * runs, so `--version`, `--help` and `validate` do not load the API client or the emulator.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError, InterruptedError } from '../errors.js';
import { processOutput } from '../front-end/io.js';
import { VERSION } from '../front-end/version.js';
import { DEFAULT_API_URL, DEFAULT_CONCURRENCY, DEFAULT_STATE, DEFAULT_TIMEOUT_MS, MAX_CONCURRENCY } from '../defaults.js';
import { checkStrictFlags, usageMessage } from './flags.js';
import { KIND_NAMES } from '../resources/kind.js';
import { importFlags, importOptions } from './import-options.js';

const output = processOutput();

function reconcileOptions<T>(argv: Argv<T>) {
  return argv
    .option('dir', { type: 'string', describe: 'project directory holding intuned-resources/', default: '.' })
    .option('project', { type: 'string', describe: 'Intuned project name [env INTUNED_PROJECT]' })
    .option('workspace-id', { type: 'string', describe: 'Intuned workspace ID [env INTUNED_WORKSPACE_ID]' })
    .option('api-url', { type: 'string', describe: 'Intuned API base URL [env INTUNED_API_URL]', defaultDescription: DEFAULT_API_URL })
    .option('state', { type: 'string', describe: 'state location, file:PATH or git:BRANCH, relative to --dir [env INTUNED_GITOPS_STATE]', defaultDescription: DEFAULT_STATE })
    .option('force', { type: 'boolean', describe: 'allow a plan that deletes more than the safe share of managed sessions' })
    .option('output', { type: 'string', choices: ['text', 'json', 'markdown'], default: 'text', describe: 'output format on stdout' })
    .option('concurrency', { type: 'number', describe: `operations run in parallel (1 to ${MAX_CONCURRENCY})`, defaultDescription: String(DEFAULT_CONCURRENCY) })
    // nargs: `--timeout -5s` takes -5s as its value (and refuses it) instead of reading flags -5 -s.
    .option('timeout', { type: 'string', nargs: 1, describe: 'how long to wait for all operations, e.g. 90s, 10m, 1h30m', defaultDescription: `${DEFAULT_TIMEOUT_MS / 60_000}m` })
    .option('detailed-exitcode', { type: 'boolean', describe: 'exit 2 when changes are pending (0: none, 1: error)' })
    .option('force-unlock', { type: 'string', describe: 'remove the state lock with this ID (left by an apply that is gone), then go on' })
    .option('api-generation', { type: 'string', choices: ['current', 'legacy'], describe: 'Intuned API generation: legacy for the older update and one-time-code endpoints [env INTUNED_API_GENERATION]', defaultDescription: 'current' })
    .option('expect-plan', { type: 'string', describe: 'a JSON plan from an earlier --output json: refuse a plan that deletes what it did not show' })
    .option('timings', { type: 'boolean', hidden: true, describe: 'print stage timings and request counts as JSON on stderr' })
    .epilog(
      [
        'Environment (a flag wins over its variable):',
        '  INTUNED_API_KEY           the API key: required; never a flag',
        "  INTUNED_GITOPS_STATE_KEY  the key of the state's fingerprints",
        '                            [default: derived from the API key]',
        '  INTUNED_PROJECT, INTUNED_WORKSPACE_ID, INTUNED_API_URL,',
        '  INTUNED_GITOPS_STATE, INTUNED_API_GENERATION: as the flags above',
      ].join('\n'),
    );
}

async function reconcile(args: Record<string, unknown>, dryRun: boolean): Promise<void> {
  const [{ reconcileCommand }, { outputFormatOf, reportFailure }] = await Promise.all([import('./commands/reconcile.js'), import('./commands/failure.js')]);
  // SIGINT (Ctrl-C) and SIGTERM (a cancelled CI job): an apply starts nothing more, records what
  // it started, releases its lock and fails with the interrupt (exit 1, the JSON error document
  // with --output json), within INTERRUPT_WIND_DOWN_MS. A plan, a second signal, or a wind-down
  // that takes longer, stop at once: the state already records every operation as it starts.
  const interruption = new AbortController();
  const stopNow = (message: string) => process.exit(reportFailure(output, outputFormatOf(args.output), new InterruptedError(message)));
  const onSignal = () => {
    output.err('\n');
    if (dryRun) stopNow('interrupted: a plan changes nothing');
    if (interruption.signal.aborted) stopNow(`interrupted again: stopped at once. ${LEFT_AS_IS}`);
    interruption.abort();
    setTimeout(() => stopNow(`interrupted: could not wind down within ${INTERRUPT_WIND_DOWN_MS / 1000}s, stopped. ${LEFT_AS_IS}`), INTERRUPT_WIND_DOWN_MS).unref();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  process.exitCode = await reconcileCommand({
    signal: interruption.signal,
    flags: {
      dir: args.dir as string,
      project: args.project as string | undefined,
      workspaceId: args.workspaceId as string | undefined,
      apiUrl: args.apiUrl as string | undefined,
      state: args.state as string | undefined,
      force: args.force as boolean | undefined,
      output: args.output as string,
      concurrency: args.concurrency as number | undefined,
      timeout: args.timeout as string | undefined,
      detailedExitcode: args.detailedExitcode as boolean | undefined,
      apiGeneration: args.apiGeneration as string | undefined,
      forceUnlock: args.forceUnlock as string | undefined,
      expectPlan: args.expectPlan as string | undefined,
    },
    dryRun,
    env: process.env,
    output,
    timings: Boolean(args.timings),
  });
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
}

/** A CI runner sends SIGINT, then SIGTERM 7.5s later: an interrupted apply is done before that. */
const INTERRUPT_WIND_DOWN_MS = 5_000;
const LEFT_AS_IS =
  "Operations already started keep running in Intuned and the state records them as started; the next run picks them up. If this run's lock was left, the next apply says how it goes.";

/** The options yargs has declared for the command being run (not in its public types). */
interface DeclaredOptions {
  boolean: string[];
  key: Record<string, unknown>;
}

async function main(): Promise<void> {
  const tokens = hideBin(process.argv);
  await yargs(tokens)
    .scriptName('intuned-gitops')
    .usage('$0 <command> [options]\n\nManage Intuned AuthSessions and Jobs as code: files in intuned-resources/auth-sessions/ and intuned-resources/jobs/ are the source of truth.')
    .command(
      'validate',
      'check every resource file offline',
      (argv) => argv.option('dir', { type: 'string', default: '.', describe: 'project directory' }).option('output', { type: 'string', choices: ['text', 'json'], default: 'text' })
        .option('env', { type: 'boolean', default: true, describe: 'read ${env:NAME} values; --no-env checks everything but the values (pre-commit hooks, no secrets needed)' }),
      async (args) => {
        const { validateCommand } = await import('./commands/validate.js');
        process.exitCode = await validateCommand({ dir: args.dir, env: process.env, readEnv: args.env, output, format: args.output as 'text' | 'json' });
      },
    )
    .command(
      ['reconcile', 'apply'],
      'plan, then apply and wait for every operation (--dry-run: plan only)',
      (argv) => reconcileOptions(argv).option('dry-run', { type: 'boolean', describe: 'print the plan, change nothing' }),
      (args) => reconcile(args, Boolean(args.dryRun)),
    )
    .command(
      'plan',
      'same as reconcile --dry-run',
      (argv) => reconcileOptions(argv).option('dry-run', { type: 'boolean', hidden: true, describe: 'implied' }),
      (args) => reconcile(args, true),
    )
    .command(
      'emulator',
      'serve a local emulation of the Intuned API until stopped',
      (argv) =>
        argv
          .option('port', { type: 'number', default: 8080, describe: 'port (0: any free port)' })
          .option('host', { type: 'string', default: '127.0.0.1' })
          .option('operation-duration', { type: 'number', describe: 'ms an operation takes' })
          .option('latency', { type: 'number', describe: 'ms added to every response' })
          .option('legacy-api', { type: 'boolean', describe: 'serve the older API generation' })
          .option('max-concurrent-operations', { type: 'number', describe: 'operations running at once per project; more wait pending (default 10)' })
          .option('error-rate', { type: 'number', describe: 'share (0-1) of requests answered 500/502/503' })
          .option('rate-limit-rate', { type: 'number', describe: 'share (0-1) of requests answered 429' })
          .option('retry-after', { type: 'number', describe: 'Retry-After seconds of those 429s' })
          .option('requests-per-second', { type: 'number', describe: 'answer 429 beyond this many requests a second' })
          .option('drop-rate', { type: 'number', describe: 'share (0-1) of connections dropped without an answer' })
          .option('seed', { type: 'string', describe: 'JSON file of sessions and jobs (with runs) to start with' }),
      async (args) => {
        const { emulatorCommand } = await import('../emulator/index.js');
        await emulatorCommand({
          port: args.port,
          host: args.host,
          output,
          // Flags not given stay undefined: the emulator reads each option with its default.
          operationDurationMs: args.operationDuration,
          latencyMs: args.latency,
          legacyApi: args.legacyApi,
          maxConcurrentOperations: args.maxConcurrentOperations,
          seedFile: args.seed,
          faults: {
            serverErrorRate: args.errorRate,
            rateLimitRate: args.rateLimitRate,
            retryAfterSeconds: args.retryAfter,
            requestsPerSecond: args.requestsPerSecond,
            dropRate: args.dropRate,
          },
        });
      },
    )
    .command(
      'schema [kind]',
      'print the JSON Schema of a resource file (auth-session by default, or job)',
      (command) => command.positional('kind', { type: 'string', choices: KIND_NAMES, describe: 'the resource kind' }),
      async (args) => {
        const { schemaCommand } = await import('./commands/schema.js');
        schemaCommand({ output, kind: args.kind });
      },
    )
    .command(
      'import [ids..]',
      'write files for what Intuned holds and no file declares (jobs by default; --kind auth-session)',
      (argv) => importOptions(argv),
      async (args) => {
        const { importCommand } = await import('./commands/import.js');
        process.exitCode = await importCommand({ flags: importFlags(args), env: process.env, output });
      },
    )
    // Before validation and before any handler: a `--dry-run=1` must never reach one.
    .middleware(function strictFlags(this: unknown, _args: unknown, parser?: { getOptions(): DeclaredOptions }) {
      if (!parser) throw new Error('yargs did not pass itself to the middleware');
      const { boolean, key } = parser.getOptions();
      checkStrictFlags(tokens, { boolean, scalar: Object.keys(key).filter((name) => !boolean.includes(name)) });
    } as never, true)
    .demandCommand(1, 'name a command: validate, reconcile, plan, apply, emulator, schema or import')
    .strict()
    .version(VERSION)
    .help()
    .fail((message, error) => {
      // yargs' own errors (YError) are usage errors too: one line, never an internal error.
      if (error && error.name !== 'YError') throw error;
      throw new InputError(usageMessage(message ?? error?.message ?? 'invalid command line', tokens));
    })
    .parseAsync();
}

main()
  .catch(async (error: unknown) => {
    const { reportFailure, requestedOutput } = await import('./commands/failure.js');
    process.exitCode = reportFailure(output, requestedOutput(hideBin(process.argv)), error);
  })
  // Exit once both streams are flushed rather than when the event loop drains, so nothing left
  // in it (a keep-alive socket, a timer of a library) can hold a finished command open.
  .finally(() => process.stdout.write('', () => process.stderr.write('', () => process.exit())));
