import { describe, expect, it } from 'vitest';
import { ApiError, InputError } from '../../src/errors.js';
import { errorDocument, renderErrorJson, renderErrorMarkdown } from '../../src/render/error.js';

const problem = { file: 'intuned-resources/auth-sessions/a_b.auth-session.json', line: 2, column: 5, message: 'unknown key "paramters"' };

describe('the error document', () => {
  it('has the README shape: formatVersion and error { message, problems? }', () => {
    expect(errorDocument(new InputError('missing settings'))).toEqual({ formatVersion: 1, error: { message: 'missing settings' } });
    expect(errorDocument(new InputError('1 problem', [problem]))).toEqual({ formatVersion: 1, error: { message: '1 problem', problems: [problem] } });
  });

  it('masks what it quotes before writing, so the JSON stays whole', () => {
    const error = new ApiError('rejected "hunter2-value"', { method: 'POST', path: '/ws/projects/p/auth-sessions/create', status: 400, retryable: false });
    const json = renderErrorJson(error, (text) => text.replaceAll('hunter2-value', '***'));
    expect(json).not.toContain('hunter2-value');
    expect(JSON.parse(json).error.message).toContain('rejected "***"');
  });
});

describe('the markdown error block', () => {
  it('quotes the message, its list lines as a list, code in backticks as code, and lists each problem', () => {
    const markdown = renderErrorMarkdown(new InputError('missing settings:\n  - the project: `--project` or INTUNED_PROJECT', [problem]));
    expect(markdown).toBe(
      [
        '### ❌ intuned-gitops failed',
        '',
        '> missing settings:',
        '> - the project: `--project` or INTUNED\\_PROJECT',
        '',
        '- `intuned-resources/auth-sessions/a_b.auth-session.json:2:5` unknown key "paramters"',
        '',
      ].join('\n'),
    );
  });

  it('cannot be broken by what a message quotes', () => {
    const markdown = renderErrorMarkdown(new InputError('bad <!-- id | `x'));
    expect(markdown).toContain('> bad &lt;!-- id \\| \\`x\n');
  });
});
