import { afterEach, describe, expect, it } from 'vitest';
import { checkStrictFlags } from '../../src/cli/flags.js';
import { InputError } from '../../src/errors.js';
import { Project } from '../helpers/project.js';
import { session } from '../helpers/sessions.js';

const DECLARED = { boolean: ['dry-run', 'detailed-exitcode', 'force', 'help', 'version'], scalar: ['dir', 'output', 'state'] };

function refusal(tokens: string[]): string | undefined {
  try {
    checkStrictFlags(tokens, DECLARED);
    return undefined;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.message).not.toContain('\n');
    return error.message.replace(/ \(see intuned-gitops --help\)$/, '');
  }
}

describe('strict flags', () => {
  it.each([
    [['--dry-run=1'], '--dry-run takes no value, or exactly true or false: got "1"'],
    [['--dry-run=yes'], '--dry-run takes no value, or exactly true or false: got "yes"'],
    [['--dry-run=on'], '--dry-run takes no value, or exactly true or false: got "on"'],
    [['--dry-run=TRUE'], '--dry-run takes no value, or exactly true or false: got "TRUE"'],
    [['--dryRun=1'], '--dry-run takes no value, or exactly true or false: got "1"'],
    [['--detailed-exitcode=1'], '--detailed-exitcode takes no value, or exactly true or false: got "1"'],
    [['--no-dry-run=false'], '--no-dry-run takes no value: got "false"'],
    [['--dir', 'a', '--dir', 'b'], '--dir was given more than once; give it once'],
    [['--dir=a', '--dir', 'b'], '--dir was given more than once; give it once'],
    [['--dry-run', '--no-dry-run'], '--dry-run was given more than once; give it once'],
    [['--dry-run=false', '--dryRun'], '--dry-run was given more than once; give it once'],
    [['--dir'], '--dir needs a value'],
    [['--dir', '--force'], '--dir needs a value'],
    [['--dir='], '--dir was given an empty value'],
    [['--dir', ''], '--dir was given an empty value'],
    [['--state', ' '], '--state was given an empty value'],
  ])('refuses %j', (tokens, message) => {
    expect(refusal(tokens)).toBe(message);
  });

  it.each([
    [['--dry-run']],
    [['--dry-run=true']],
    [['--dry-run=false']],
    [['--no-dry-run']],
    [['--dir', 'a', '--output', 'json', '--force']],
    [['--dir', 'a', '--', '--dir']],
    [['--dir', 'a', '--timeout', '-5s']],
    [['--unknown=1', '--unknown=2']],
  ])('accepts %j', (tokens) => {
    expect(refusal(tokens)).toBeUndefined();
  });
});

describe('strict flags (the built CLI against the emulator)', () => {
  let project: Project | undefined;
  afterEach(async () => {
    await project?.close();
    project = undefined;
  });

  it.each([
    [['apply', '--dry-run=1'], '--dry-run takes no value, or exactly true or false: got "1"'],
    [['reconcile', '--dry-run=1'], '--dry-run takes no value, or exactly true or false: got "1"'],
    [['apply', '--dry-run=yes'], '--dry-run takes no value, or exactly true or false: got "yes"'],
    [['apply', '--dry-run=on'], '--dry-run takes no value, or exactly true or false: got "on"'],
    [['apply', '--dry-run=TRUE'], '--dry-run takes no value, or exactly true or false: got "TRUE"'],
    [['plan', '--detailed-exitcode=1'], '--detailed-exitcode takes no value, or exactly true or false: got "1"'],
    [['apply', '--dir', 'elsewhere'], '--dir was given more than once; give it once'],
    [['apply', '--state', 'file:a.json', '--state=file:b.json'], '--state was given more than once; give it once'],
    [['apply', '--timeout'], '--timeout needs a value'],
    [['apply', '--state='], '--state was given an empty value'],
    [['apply', '--output', 'xml'], '--output must be one of "text", "json", "markdown": got "xml"'],
    [['apply', '--bogus'], 'Unknown argument: bogus'],
  ])('%j is a usage error: exit 1, one line, no request sent', async (args, message) => {
    project = await Project.create();
    await project.file('acme.auth-session.json', session({ username: 'ops@acme.test', password: 'pw' }));
    const result = await project.run(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: ${message} (see intuned-gitops --help)\n`);
    expect(result.stdout).toBe('');
    expect(project.emulator.requests).toEqual([]);
    expect(project.emulator.sessions()).toEqual([]);
  });
});
