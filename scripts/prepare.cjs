// npm `prepare`: builds lib/ when mlscale is installed as a git dependency (npm clones it, installs its
// dev dependencies and runs prepare there, with INIT_CWD the installing project). The repository's own
// `npm ci` (INIT_CWD is this folder) skips it: tests and synth run from source.
const path = require('path');
const { spawnSync } = require('child_process');
if (!process.env.INIT_CWD || path.resolve(process.env.INIT_CWD) === process.cwd()) process.exit(0);
const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.package.json'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
