// npm `prepare`: builds lib/ when mlscale is installed as a git dependency, and skips the repository's
// own `npm ci` (tests and synth run from source). Every npm process sets INIT_CWD to its working folder
// (@npmcli/config lib/set-envs.js); for a git dependency pacote runs `npm install` in the clone (a child
// npm: INIT_CWD is the clone, so this skips) and then `prepare` from the installing npm, whose INIT_CWD
// is the installing project: that run builds (checked with npm install git+file://... on npm 10).
const path = require('path');
const { spawnSync } = require('child_process');
if (!process.env.INIT_CWD || path.resolve(process.env.INIT_CWD) === process.cwd()) process.exit(0);
const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.package.json'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
