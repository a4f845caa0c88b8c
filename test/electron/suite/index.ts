/** Entry point VS Code's extension host loads (extensionTestsPath): runs the in-host tests with mocha. */
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: true });
  mocha.addFile(path.join(__dirname, 'extension.vstest.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed inside VS Code.`)) : resolve()));
  });
}
