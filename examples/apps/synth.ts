/** Entry point of `npm run synth`: synthesizes the default platform app into charts-out/ atomically. */
import { MlscaleApp } from '../../constructs';
import { buildApp } from './main';

MlscaleApp.run(buildApp);
