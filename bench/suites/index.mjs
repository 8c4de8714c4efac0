// index.mjs — the benchmarks in the order a run takes them (reads before
// the writes that change the data), and the ones the scaling run repeats
// at each scale.
import * as http from './http.mjs';
import * as login from './login.mjs';
import * as people from './people.mjs';
import * as report from './report.mjs';
import * as checks from './checks.mjs';
import * as observation from './observation.mjs';
import * as passes from './passes.mjs';
import * as files from './files.mjs';

export const SUITES = [http, login, people, report, checks, observation, passes, files];
export const SCALING = [people, report, passes];
