// Zero allocation on the generated accessor path (the suite lives in support/allocation-suite.ts).
import { allocationSuite } from '../support/allocation-suite.js';

allocationSuite(true);
