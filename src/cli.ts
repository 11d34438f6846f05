/**
 * The `intuned-gitops` command line: reads argv, builds each command's options, runs it and
 * maps errors to exit codes in one place.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EXIT_ERROR, formatErrorReport, InputError } from './errors.js';
import { processOutput } from './io.js';
import { reconcileCommand } from './commands/reconcile.js';
import { validateCommand } from './commands/validate.js';
import { schemaCommand } from './commands/schema.js';
import { emulatorCommand } from './emulator/index.js';
import { VERSION } from './version.js';

const output = processOutput();

function reconcileOptions<T>(argv: Argv<T>) {
  return argv
    .option('dir', { type: 'string', describe: 'project directory holding intuned-resources/', default: '.' })
    .option('project', { type: 'string', describe: 'Intuned project name [env INTUNED_PROJECT]' })
    .option('workspace-id', { type: 'string', describe: 'Intuned workspace ID [env INTUNED_WORKSPACE_ID]' })
    .option('api-url', { type: 'string', describe: 'Intuned API base URL [env INTUNED_API_URL]' })
    .option('state', { type: 'string', describe: 'state location, file:PATH or git:BRANCH [env INTUNED_GITOPS_STATE]' })
    .option('force', { type: 'boolean', describe: 'allow a plan that deletes more than the safe share of managed sessions' })
    .option('output', { type: 'string', choices: ['text', 'json', 'markdown'], default: 'text', describe: 'output format on stdout' })
    .option('concurrency', { type: 'number', describe: 'operations run in parallel (default 10)' })
    .option('timeout', { type: 'string', describe: 'how long to wait for all operations, e.g. 90s, 10m (default 10m)' })
    .option('detailed-exitcode', { type: 'boolean', describe: 'exit 2 when changes are pending (0: none, 1: error)' })
    .option('api-generation', { type: 'string', choices: ['current', 'legacy'], describe: 'Intuned API generation: legacy for the older update and one-time-code endpoints [env INTUNED_API_GENERATION]' })
    .option('expect-plan', { type: 'string', describe: 'a JSON plan from an earlier --output json: refuse a plan that deletes what it did not show' })
    .option('timings', { type: 'boolean', hidden: true, describe: 'print stage timings and request counts as JSON on stderr' });
}

async function reconcile(args: Record<string, unknown>, dryRun: boolean): Promise<void> {
  // Operations already started go on in Intuned; the state records them and the next run picks
  // them up. Say so rather than stop silently.
  process.once('SIGINT', () => {
    output.err('\ninterrupted: operations already started keep running in Intuned; the state records them, and the next run picks them up\n');
    process.exit(130);
  });
  process.exitCode = await reconcileCommand({
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
      expectPlan: args.expectPlan as string | undefined,
    },
    dryRun,
    env: process.env,
    output,
    timings: Boolean(args.timings),
  });
}

async function main(): Promise<void> {
  await yargs(hideBin(process.argv))
    .scriptName('intuned-gitops')
    .usage('$0 <command> [options]\n\nManage Intuned AuthSessions as code: files in intuned-resources/auth-sessions/ are the source of truth.')
    .command(
      'validate',
      'check every resource file offline',
      (argv) => argv.option('dir', { type: 'string', default: '.', describe: 'project directory' }).option('output', { type: 'string', choices: ['text', 'json'], default: 'text' }),
      async (args) => {
        process.exitCode = await validateCommand({ dir: args.dir, env: process.env, output, format: args.output as 'text' | 'json' });
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
        await emulatorCommand({
          port: args.port,
          host: args.host,
          output,
          ...(args.operationDuration !== undefined ? { operationDurationMs: args.operationDuration } : {}),
          ...(args.latency !== undefined ? { latencyMs: args.latency } : {}),
          ...(args.legacyApi ? { legacyApi: true } : {}),
          ...(args.maxConcurrentOperations !== undefined ? { maxConcurrentOperations: args.maxConcurrentOperations } : {}),
          ...(args.seed ? { seedFile: args.seed } : {}),
          faults: {
            ...(args.errorRate !== undefined ? { serverErrorRate: args.errorRate } : {}),
            ...(args.rateLimitRate !== undefined ? { rateLimitRate: args.rateLimitRate } : {}),
            ...(args.retryAfter !== undefined ? { retryAfterSeconds: args.retryAfter } : {}),
            ...(args.requestsPerSecond !== undefined ? { requestsPerSecond: args.requestsPerSecond } : {}),
            ...(args.dropRate !== undefined ? { dropRate: args.dropRate } : {}),
          },
        });
      },
    )
    .command('schema', 'print the JSON Schema of a resource file', {}, () => {
      schemaCommand({ output });
    })
    .demandCommand(1, 'name a command: validate, reconcile, plan, apply, emulator or schema')
    .strict()
    .version(VERSION)
    .help()
    .fail((message, error) => {
      throw error ?? new InputError(`${message}\nRun intuned-gitops --help for usage.`);
    })
    .parseAsync();
}

main()
  .catch((error: unknown) => {
    output.err(`${formatErrorReport(error)}\n`);
    process.exitCode = EXIT_ERROR;
  })
  // Exit once both streams are flushed rather than when the event loop drains, so nothing left
  // in it (a keep-alive socket, a timer of a library) can hold a finished command open.
  .finally(() => process.stdout.write('', () => process.stderr.write('', () => process.exit())));
