/** Asks a person on the terminal for a one-time code or a choice (older API generation). */
import { createInterface } from 'node:readline/promises';
import type { PromptForInfo } from '../engine/operation.js';

export const promptOnTerminal: PromptForInfo = async (request) => {
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const choices = request.choices?.length ? `\n  choices: ${request.choices.join(', ')}` : '';
    const answer = await readline.question(`\n${request.id}: Intuned asks: ${request.messageToUser}${choices}\n  ${request.requestType === 'otp' ? 'one-time code' : 'answer'}: `);
    return answer.trim();
  } finally {
    readline.close();
  }
};
