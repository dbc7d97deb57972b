import { Command } from 'commander';
import { answerExactRequest } from '../../oracle/exactRequest.ts';
import { formatJsonFloat64 } from '../../core/formatJson.ts';
import { readJsonInput } from '../../config/readInput.ts';

/** `cmbounds exact --request <file.json|->`: the JSON-in/JSON-out oracle of DESIGN §4. */
export function exactCommand(): Command {
  return new Command('exact')
    .description(
      'Exact float64 answers for a Gaussian-mixture target: log-density, score, score Hessian, posterior moments, ' +
        'probability-flow map and its Jacobian. JSON request in, JSON response out (numbers to 17 significant digits).',
    )
    .requiredOption('--request <file>', "request JSON file, or '-' for standard input")
    .option('--pretty', 'indent the output')
    .action((opts: { request: string; pretty?: boolean }) => {
      const response = answerExactRequest(readJsonInput(opts.request, '--request'));
      process.stdout.write(formatJsonFloat64(response, opts.pretty ? 2 : 0) + '\n');
    });
}
