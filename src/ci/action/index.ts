// The Action's entry, bundled to action/dist/index.js by `npm run build:action`.
import { appendFile, readFile } from 'node:fs/promises';
import { workflowCommand } from '../formats/workflowCommands';
import { runAction } from './runAction';

runAction({
  env: process.env,
  cwd: process.cwd(),
  clock: () => Date.now(),
  stdout: (text) => process.stdout.write(`${text}\n`),
  readFile: (file) => readFile(file, 'utf8'),
  appendFile: (file, text) => appendFile(file, text, 'utf8'),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // runAction reports its own failures; this is for one in writing the report itself.
    process.stdout.write(`${workflowCommand('error', {}, String(error))}\n`);
    process.exitCode = 1;
  },
);
